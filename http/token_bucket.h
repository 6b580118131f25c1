#pragma once

#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "http/clock.h"
#include "http/http_message.h"
#include "http/rate_limit_headers.h"

namespace ferry::http {

// The request budget of one credential: `requests_per_second` on average,
// up to `burst` at once after a quiet spell. PagerDuty allows 960 requests
// a minute per token, so {16, 16} spends exactly that.
struct TokenBucketOptions {
  double requests_per_second = 16;
  double burst = 16;
};

// A token bucket with two priorities, shared by every integration that uses
// one credential (see CredentialBudgets).
//
// Acquire(kLive) takes a token as soon as one is available. Acquire(kBackfill)
// also waits while any live request is waiting, so live changes always go
// ahead of backfill; sustained live demand therefore starves backfill, by
// design. Within one priority no order is promised.
//
// The server's count wins over the steady pace. Every Acquire() must be
// followed by one Answered() once the attempt is over (answer or network
// failure). When an answer carries the end system's window (PagerDuty's
// `ratelimit-remaining` / `ratelimit-reset`), the bucket grants up to
// `remaining` more requests before `reset` without waiting for the steady
// refill, and never more: requests granted but not yet answered are
// subtracted, and within one window a later answer can lower the allowance
// but never raise it (answers arrive out of order). While that window is
// known the steady bucket is not consulted; when it runs out, callers wait
// for its reset, and after it the bucket paces as without headers until the
// next answer reports the new window. So a backfill spends the token's real
// burst at once instead of 16 requests a second, and still sees no 429.
// Without those headers the bucket behaves as a plain token bucket.
//
// PauseFor() empties the bucket (and any known window) until a point in
// time: after a 429 the end system has closed the window for every user of
// the credential, not only for the request that saw it.
//
// Thread-safe. Waiting happens on the injected Clock, outside the lock.
class TokenBucket {
 public:
  // `clock` must outlive the bucket. Rates and burst must be positive.
  TokenBucket(const TokenBucketOptions& options, Clock& clock);

  TokenBucket(const TokenBucket&) = delete;
  TokenBucket& operator=(const TokenBucket&) = delete;

  // Blocks until this caller may send one request, then spends the token.
  void Acquire(RequestPriority priority);

  // Ends the attempt a token was acquired for. `window` is what its answer
  // said is left (RateLimitWindowOf), or nullopt when there was no answer
  // or no such headers.
  void Answered(const std::optional<RateLimitWindow>& window);

  // No token is granted before now + `duration`; the bucket starts refilling
  // from empty at that instant. A shorter pause never shortens a longer one.
  void PauseFor(absl::Duration duration);

  const TokenBucketOptions& options() const { return options_; }

 private:
  void RefillLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Spends one token from the server's window while it is known, else from
  // the steady bucket; false when that source is empty.
  bool TakeTokenLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Duration TimeUntilTokenLocked(absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool InServerWindowLocked(absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return now < window_end_;
  }
  bool NoLiveDemand() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return live_waiting_ == 0;
  }

  const TokenBucketOptions options_;
  Clock& clock_;

  absl::Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_);
  // Tokens have been added up to this instant; in the future while paused.
  absl::Time refilled_until_ ABSL_GUARDED_BY(mu_);
  // The end system's window, as last reported: `window_tokens_` requests
  // may still be granted before `window_end_` (in the past: none known).
  int window_tokens_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time window_end_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  // Tokens granted whose attempt has not been Answered() yet.
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  // Live callers inside Acquire() that have not got their token yet.
  int live_waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ferry::http
