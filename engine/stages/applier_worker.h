#pragma once

#include <deque>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/writer/change_applier.h"

namespace ferry::engine {

// The one thread that uses an integration's ChangeApplier (which is
// thread-compatible): it runs the work the integration's streams and the
// control API hand it, one piece at a time in the order handed, and every
// `retry_every` retries the failures that are due, between two pieces of
// work. A retry round yields to waiting work between two entities, so a
// stream's batch waits at most for the retry call in progress, not for the
// whole round; rounds and work alternate while both wait, so neither
// starves.
//
// No lock is held while the applier runs: a caller waits for its own work
// to be done, never on a lock another thread holds across end-system calls
// or state writes.
//
// Thread-safe. The applier must outlive the worker.
class ApplierWorker {
 public:
  using Work = std::function<absl::Status(ChangeApplier&)>;

  // `integration` names the applier in logs.
  ApplierWorker(std::string integration, ChangeApplier* applier,
                absl::Duration retry_every);
  // Lets the work in progress finish; work not started fails with
  // UNAVAILABLE.
  ~ApplierWorker();

  // Runs `work` on the worker's thread and returns its status once it has
  // run; UNAVAILABLE when the worker stops before running it.
  absl::Status Run(const Work& work);

  // The pieces of work handed and not yet started.
  int waiting() const;

 private:
  struct Task {
    const Work* work = nullptr;
    absl::Status status;
    bool done = false;
  };

  void Loop();
  // Runs one retry round; returns whether it finished (not cut short).
  bool RetryRound();
  bool HasWorkOrStop() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty();
  }

  const std::string integration_;
  ChangeApplier* const applier_;
  const absl::Duration retry_every_;

  mutable absl::Mutex mu_;
  std::deque<Task*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ferry::engine
