#include "http/testing/fake_clock.h"

namespace ferry::http {

FakeClock::FakeClock(Mode mode, absl::Time start) : mode_(mode), now_(start) {}

absl::Time FakeClock::Now() {
  absl::MutexLock lock(&mu_);
  return now_;
}

void FakeClock::SleepFor(absl::Duration duration) {
  if (duration <= absl::ZeroDuration()) return;
  absl::MutexLock lock(&mu_);
  sleeps_.push_back(duration);
  const absl::Time wake = now_ + duration;
  if (mode_ == Mode::kInstant) {
    now_ = wake;
    return;
  }
  ++sleepers_;
  auto due = [this, wake]()
                 ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return now_ >= wake; };
  mu_.Await(absl::Condition(&due));
  --sleepers_;
}

void FakeClock::Advance(absl::Duration duration) {
  absl::MutexLock lock(&mu_);
  now_ += duration;
}

void FakeClock::AwaitSleepers(int count) {
  absl::MutexLock lock(&mu_);
  auto reached = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return sleepers_ == count;
  };
  mu_.Await(absl::Condition(&reached));
}

std::vector<absl::Duration> FakeClock::sleeps() {
  absl::MutexLock lock(&mu_);
  return sleeps_;
}

}  // namespace ferry::http
