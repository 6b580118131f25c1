#pragma once

#include "absl/time/time.h"

namespace ferry::http {

// The passage of time as the HTTP client sees it: reading the current time
// and waiting. Retries, rate-limit waits and token buckets take a Clock so
// tests can replace real waiting with a recorded, instant one.
//
// Implementations must be thread-safe: several threads may call Now() and
// SleepFor() at once.
class Clock {
 public:
  virtual ~Clock() = default;

  // The current time.
  virtual absl::Time Now() = 0;

  // Blocks the calling thread for `duration` (no-op when not positive).
  virtual void SleepFor(absl::Duration duration) = 0;
};

// The wall clock and real sleeping. Thread-safe; one process-wide instance.
Clock& RealClock();

}  // namespace ferry::http
