#pragma once

#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "tools/jira_sim/model.h"

namespace ferry::jira_sim {

// The simulator's State behind one lock. Every request reads or changes it
// inside Read/Write, so each request sees and leaves a consistent state.
// Thread-safe.
class Store {
 public:
  explicit Store(State state) : state_(std::move(state)) {}
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs fn(const State&) under a shared lock and returns its result.
  template <typename Fn>
  auto Read(Fn&& fn) const {
    absl::ReaderMutexLock lock(&mu_);
    return fn(static_cast<const State&>(state_));
  }

  // Runs fn(State&) under the exclusive lock and returns its result.
  template <typename Fn>
  auto Write(Fn&& fn) {
    absl::MutexLock lock(&mu_);
    return fn(state_);
  }

 private:
  mutable absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::jira_sim
