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

  // No pace of Ferry's own, for a system that documents no fixed limit: a
  // rate so high that only the end system's answers (its window or bucket,
  // see TokenBucket) and 429 pauses ever make a caller wait.
  static TokenBucketOptions Unpaced() { return {1e9, 1e9}; }
};

// A token bucket with two priorities, shared by every integration that uses
// one credential (see CredentialBudgets).
//
// Acquire(kLive) takes a token as soon as one is available. Acquire(kBackfill)
// also waits while any live request is waiting, so live changes always go
// ahead of backfill; sustained live demand therefore starves backfill, by
// design. Within one priority no order is promised.
//
// The server's own model wins over the steady pace. Every Acquire() must be
// followed by one Answered() once the attempt is over (answer or network
// failure), with what the answer said (ServerRateLimitOf). In both models
// requests granted but not yet answered are subtracted from what the
// answer reports (the server may not have counted them yet), and a later
// answer can lower the allowance but never raise it above what the client
// already knew (answers arrive out of order). So a backfill spends the
// token's real allowance, and still sees no 429.
//
//   A fixed window (PagerDuty's `ratelimit-remaining` / `ratelimit-reset`):
//   the bucket grants up to `remaining` more requests before `reset`
//   without waiting for the steady refill, and never more. While that
//   window is known the steady bucket is not consulted; when it runs out,
//   callers wait for its reset, and after it the bucket paces as without
//   headers until the next answer reports the new window.
//
//   A continuously refilled bucket (Jira Data Center's X-RateLimit-*): the
//   bucket keeps a copy of the server's, refilled at the server's rate up to
//   its capacity, and grants from it alone: the `remaining` tokens at once,
//   then one every 1/rate, never waiting for a whole window. Once learned,
//   the copy stays for the bucket's life (a server that stops sending the
//   headers is still paced at its last rate); each answer corrects its
//   tokens downward and takes the rate and capacity it reports.
//
// Without such answers the bucket behaves as a plain token bucket of
// `options`.
//
// PauseFor() empties the bucket (and any known window or copy of the
// server's bucket) until a point in time: after a 429 the end system has
// closed the credential for every user of it, not only for the request
// that saw it.
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

  // Ends the attempt a token was acquired for. `server` is what its answer
  // said of the credential's allowance (ServerRateLimitOf), or nullopt when
  // there was no answer or it said nothing.
  void Answered(const std::optional<ServerRateLimit>& server);

  // No token is granted before now + `duration`; the bucket starts refilling
  // from empty at that instant. A shorter pause never shortens a longer one.
  void PauseFor(absl::Duration duration);

  const TokenBucketOptions& options() const { return options_; }

 private:
  // Tokens that accrue continuously at `per_second` up to `capacity`: the
  // steady budget of `options`, or the copy of a server's bucket.
  struct Refilling {
    double tokens = 0;
    double per_second = 0;
    double capacity = 0;
    // Tokens have been added up to this instant; in the future while paused.
    absl::Time refilled_until;

    void RefillTo(absl::Time now);
    // Spends one token; false when there is no whole one.
    bool Take();
    absl::Duration TimeUntilToken(absl::Time now) const;
    // Empty, and refilling from `until` on (never earlier than before).
    void EmptyUntil(absl::Time until);
  };

  void OpenWindowLocked(const RateLimitWindow& window, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CopyServerBucketLocked(const RateLimitBucket& bucket, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Spends one token from the server's window while it is known, else from
  // the copy of the server's bucket once there is one, else from the steady
  // bucket; false when that source is empty.
  bool TakeTokenLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Duration TimeUntilTokenLocked(absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The refilling source tokens come from outside a known window.
  Refilling& RefillingSourceLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return server_bucket_ ? *server_bucket_ : steady_;
  }
  const Refilling& RefillingSourceLocked() const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return server_bucket_ ? *server_bucket_ : steady_;
  }
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
  Refilling steady_ ABSL_GUARDED_BY(mu_);
  // The end system's continuously refilled bucket, as this client has seen
  // it spent and refilled since it first reported it; none until then.
  std::optional<Refilling> server_bucket_ ABSL_GUARDED_BY(mu_);
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
