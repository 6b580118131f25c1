#include "http/token_bucket.h"

#include <algorithm>
#include <variant>

namespace ferry::http {

TokenBucket::TokenBucket(const TokenBucketOptions& options, Clock& clock)
    : options_(options),
      clock_(clock),
      steady_{options.burst, options.requests_per_second, options.burst,
              clock.Now()} {}

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

void TokenBucket::Answered(const std::optional<ServerRateLimit>& server) {
  absl::MutexLock lock(&mu_);
  --in_flight_;
  if (!server) return;
  const absl::Time now = clock_.Now();
  if (const auto* window = std::get_if<RateLimitWindow>(&*server)) {
    OpenWindowLocked(*window, now);
  } else {
    CopyServerBucketLocked(std::get<RateLimitBucket>(*server), now);
  }
}

void TokenBucket::OpenWindowLocked(const RateLimitWindow& window,
                                   absl::Time now) {
  // Others granted before this answer may not have been counted yet.
  const int allowance = std::max(0, window.remaining - in_flight_);
  if (InServerWindowLocked(now)) {
    window_tokens_ = std::min(window_tokens_, allowance);
    window_end_ = std::max(window_end_, now + window.reset);
  } else {
    window_tokens_ = allowance;
    window_end_ = now + window.reset;
  }
}

void TokenBucket::CopyServerBucketLocked(const RateLimitBucket& bucket,
                                         absl::Time now) {
  // Others granted before this answer may not have been counted yet.
  const double allowance = std::max(0, bucket.remaining - in_flight_);
  if (!server_bucket_) {
    server_bucket_ =
        Refilling{allowance, bucket.per_second,
                  static_cast<double>(bucket.capacity), now};
    // A pause running now (a 429 seen by another request) holds it too.
    if (steady_.refilled_until > now) {
      server_bucket_->EmptyUntil(steady_.refilled_until);
    }
    return;
  }
  Refilling& copy = *server_bucket_;
  copy.RefillTo(now);
  copy.per_second = bucket.per_second;
  copy.capacity = bucket.capacity;
  copy.tokens = std::min({copy.tokens, allowance, copy.capacity});
}

void TokenBucket::PauseFor(absl::Duration duration) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_.Now();
  const absl::Time until = now + duration;
  steady_.EmptyUntil(until);
  if (server_bucket_) server_bucket_->EmptyUntil(until);
  if (InServerWindowLocked(now)) {
    window_tokens_ = 0;
    window_end_ = std::max(window_end_, until);
  }
}

bool TokenBucket::TakeTokenLocked(absl::Time now) {
  if (InServerWindowLocked(now)) {
    if (window_tokens_ < 1) return false;
    --window_tokens_;
    return true;
  }
  Refilling& source = RefillingSourceLocked();
  source.RefillTo(now);
  return source.Take();
}

absl::Duration TokenBucket::TimeUntilTokenLocked(absl::Time now) const {
  if (InServerWindowLocked(now)) return window_end_ - now;
  return RefillingSourceLocked().TimeUntilToken(now);
}

void TokenBucket::Refilling::RefillTo(absl::Time now) {
  if (now <= refilled_until) return;
  const double earned = absl::ToDoubleSeconds(now - refilled_until) * per_second;
  tokens = std::min(capacity, tokens + earned);
  refilled_until = now;
}

bool TokenBucket::Refilling::Take() {
  if (tokens < 1) return false;
  tokens -= 1;
  return true;
}

absl::Duration TokenBucket::Refilling::TimeUntilToken(absl::Time now) const {
  // Rounded up, so that a rounding error never wakes a caller a moment
  // before the token exists (on the server too, for a copy of its bucket).
  const absl::Duration refill = absl::Ceil(
      absl::Seconds((1 - tokens) / per_second), absl::Microseconds(1));
  return std::max(refilled_until - now, absl::ZeroDuration()) + refill;
}

void TokenBucket::Refilling::EmptyUntil(absl::Time until) {
  tokens = 0;
  refilled_until = std::max(refilled_until, until);
}

}  // namespace ferry::http
