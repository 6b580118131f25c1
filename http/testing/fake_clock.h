#pragma once

#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "http/clock.h"

namespace ferry::http {

// A Clock for tests: time moves only when told, and every wait is recorded.
//
// In kInstant mode SleepFor() advances the time itself and returns at once,
// so retry and rate-limit waits cost nothing. In kManual mode SleepFor()
// blocks until Advance() has moved the time past its wake-up instant, so a
// test can hold several threads at a known point. Thread-safe.
class FakeClock final : public Clock {
 public:
  enum class Mode { kInstant, kManual };

  explicit FakeClock(Mode mode,
                     absl::Time start = absl::FromUnixSeconds(1'800'000'000));

  absl::Time Now() override;
  void SleepFor(absl::Duration duration) override;

  // Moves the time forward, waking manual-mode sleepers that are due.
  void Advance(absl::Duration duration);

  // Blocks until exactly `count` threads are inside SleepFor (manual mode).
  void AwaitSleepers(int count);

  // Every positive duration passed to SleepFor, in call order.
  std::vector<absl::Duration> sleeps();

 private:
  const Mode mode_;
  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  int sleepers_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<absl::Duration> sleeps_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::http
