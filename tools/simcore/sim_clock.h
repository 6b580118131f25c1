#pragma once

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ferry::simcore {

// The simulators' notion of "now": the wall clock plus an offset that only
// ever grows. Tests and the admin API move it forward (Advance) to make
// time-based behaviour (date windows, rate-limit refills, retries) happen
// without sleeping. Thread-safe; Now() never goes backwards across calls
// made after an Advance returns.
class SimClock {
 public:
  SimClock() = default;
  SimClock(const SimClock&) = delete;
  SimClock& operator=(const SimClock&) = delete;

  // Wall-clock time plus every advance so far.
  absl::Time Now() const;

  // Moves the clock forward by `delta`. Negative deltas are refused (returns
  // false and changes nothing) so that "now" stays monotonic.
  bool Advance(absl::Duration delta);

  // Total of all advances so far.
  absl::Duration Offset() const;

 private:
  mutable absl::Mutex mu_;
  absl::Duration offset_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
};

}  // namespace ferry::simcore
