#include "http/token_bucket.h"

#include <algorithm>

namespace ferry::http {

TokenBucket::TokenBucket(const TokenBucketOptions& options, Clock& clock)
    : options_(options),
      clock_(clock),
      tokens_(options.burst),
      refilled_until_(clock.Now()) {}

void TokenBucket::Acquire(RequestPriority priority) {
  const bool live = priority == RequestPriority::kLive;
  if (live) {
    absl::MutexLock lock(&mu_);
    ++live_waiting_;
  }
  while (true) {
    absl::Duration wait;
    {
      absl::MutexLock lock(&mu_);
      if (!live) mu_.Await(absl::Condition(this, &TokenBucket::NoLiveDemand));
      const absl::Time now = clock_.Now();
      RefillLocked(now);
      if (TakeTokenLocked(now)) {
        ++in_flight_;
        if (live) --live_waiting_;
        return;
      }
      wait = TimeUntilTokenLocked(now);
    }
    clock_.SleepFor(wait);
  }
}

void TokenBucket::Answered(const std::optional<RateLimitWindow>& window) {
  absl::MutexLock lock(&mu_);
  --in_flight_;
  if (!window) return;
  const absl::Time now = clock_.Now();
  // Others granted before this answer may not have been counted yet.
  const int allowance = std::max(0, window->remaining - in_flight_);
  if (InServerWindowLocked(now)) {
    window_tokens_ = std::min(window_tokens_, allowance);
    window_end_ = std::max(window_end_, now + window->reset);
  } else {
    window_tokens_ = allowance;
    window_end_ = now + window->reset;
  }
}

void TokenBucket::PauseFor(absl::Duration duration) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_.Now();
  RefillLocked(now);
  tokens_ = 0;
  refilled_until_ = std::max(refilled_until_, now + duration);
  if (InServerWindowLocked(now)) {
    window_tokens_ = 0;
    window_end_ = std::max(window_end_, now + duration);
  }
}

bool TokenBucket::TakeTokenLocked(absl::Time now) {
  if (InServerWindowLocked(now)) {
    if (window_tokens_ < 1) return false;
    --window_tokens_;
    return true;
  }
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

void TokenBucket::RefillLocked(absl::Time now) {
  if (now <= refilled_until_) return;
  const double earned = absl::ToDoubleSeconds(now - refilled_until_) *
                        options_.requests_per_second;
  tokens_ = std::min(options_.burst, tokens_ + earned);
  refilled_until_ = now;
}

absl::Duration TokenBucket::TimeUntilTokenLocked(absl::Time now) const {
  if (InServerWindowLocked(now)) return window_end_ - now;
  const absl::Duration refill =
      absl::Seconds((1 - tokens_) / options_.requests_per_second);
  return std::max(refilled_until_ - now, absl::ZeroDuration()) + refill;
}

}  // namespace ferry::http
