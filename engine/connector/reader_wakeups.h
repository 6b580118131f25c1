#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace ferry::engine {

// Routes "something changed in system S" (from a connector's webhook
// receiver) to the readers of S that exist at that moment. Connectors are
// made before readers and outlive them across config reloads, so they hold
// a wake function bound to a system name, and readers subscribe while they
// run. Thread-safe.
class ReaderWakeups {
 public:
  // Keeps a callback subscribed until destroyed. Destroying it waits for a
  // running Wake of this callback to finish, so the callback's captures may
  // be destroyed right after.
  class Subscription {
   public:
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    friend class ReaderWakeups;
    Subscription(ReaderWakeups* owner, int id) : owner_(owner), id_(id) {}
    ReaderWakeups* owner_;
    int id_;
  };

  // Calls `wake` on every Wake(system) until the subscription is
  // destroyed. The subscription must not outlive this object.
  std::unique_ptr<Subscription> Subscribe(const std::string& system,
                                          std::function<void()> wake);

  // Calls every callback subscribed for `system`, on this thread.
  void Wake(const std::string& system);

  // A function that calls Wake(system); for ConnectorContext::wake.
  std::function<void()> WakerFor(const std::string& system);

 private:
  struct Entry {
    std::string system;
    std::function<void()> wake;
  };
  absl::Mutex mu_;
  int next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<int, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::engine
