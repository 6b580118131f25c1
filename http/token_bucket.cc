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
      if (tokens_ >= 1) {
        tokens_ -= 1;
        if (live) --live_waiting_;
        return;
      }
      wait = TimeUntilTokenLocked(now);
    }
    clock_.SleepFor(wait);
  }
}

void TokenBucket::PauseFor(absl::Duration duration) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_.Now();
  RefillLocked(now);
  tokens_ = 0;
  refilled_until_ = std::max(refilled_until_, now + duration);
}

void TokenBucket::RefillLocked(absl::Time now) {
  if (now <= refilled_until_) return;
  const double earned = absl::ToDoubleSeconds(now - refilled_until_) *
                        options_.requests_per_second;
  tokens_ = std::min(options_.burst, tokens_ + earned);
  refilled_until_ = now;
}

absl::Duration TokenBucket::TimeUntilTokenLocked(absl::Time now) const {
  const absl::Duration refill =
      absl::Seconds((1 - tokens_) / options_.requests_per_second);
  return std::max(refilled_until_ - now, absl::ZeroDuration()) + refill;
}

}  // namespace ferry::http
