#include "tools/simcore/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ferry::simcore {

TokenBucketRateLimiter::TokenBucketRateLimiter(const SimClock* clock,
                                               RateLimit limits)
    : clock_(clock), limits_(limits) {}

RateDecision TokenBucketRateLimiter::Acquire(const std::string& key) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  const double capacity = limits_.limit;
  const double per_second = capacity / absl::ToDoubleSeconds(limits_.window);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{capacity, now});
  Bucket& bucket = it->second;
  if (limits_.fixed_window) {
    if (now >= bucket.updated + limits_.window) bucket = Bucket{capacity, now};
  } else if (!inserted && now > bucket.updated) {
    bucket.tokens = std::min(
        capacity, bucket.tokens +
                      absl::ToDoubleSeconds(now - bucket.updated) * per_second);
    bucket.updated = now;
  }
  RateDecision decision;
  decision.limit = limits_.limit;
  decision.allowed = bucket.tokens >= 1.0;
  if (decision.allowed) bucket.tokens -= 1.0;
  decision.remaining = static_cast<int>(std::floor(bucket.tokens));
  decision.reset_seconds = static_cast<int>(std::ceil(
      limits_.fixed_window
          ? absl::ToDoubleSeconds(bucket.updated + limits_.window - now)
          : (capacity - bucket.tokens) / per_second));
  return decision;
}

bool TokenBucketRateLimiter::SetLimits(RateLimit limits) {
  if (limits.limit < 1 || limits.window <= absl::ZeroDuration()) return false;
  absl::MutexLock lock(&mu_);
  limits_ = limits;
  buckets_.clear();
  return true;
}

RateLimit TokenBucketRateLimiter::limits() const {
  absl::MutexLock lock(&mu_);
  return limits_;
}

}  // namespace ferry::simcore
