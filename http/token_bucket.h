#pragma once

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "http/clock.h"
#include "http/http_message.h"

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
// PauseFor() empties the bucket until a point in time: after a 429 the end
// system has closed the window for every user of the credential, not only
// for the request that saw it.
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

  // No token is granted before now + `duration`; the bucket starts refilling
  // from empty at that instant. A shorter pause never shortens a longer one.
  void PauseFor(absl::Duration duration);

  const TokenBucketOptions& options() const { return options_; }

 private:
  void RefillLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Duration TimeUntilTokenLocked(absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool NoLiveDemand() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return live_waiting_ == 0;
  }

  const TokenBucketOptions options_;
  Clock& clock_;

  absl::Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_);
  // Tokens have been added up to this instant; in the future while paused.
  absl::Time refilled_until_ ABSL_GUARDED_BY(mu_);
  // Live callers inside Acquire() that have not got their token yet.
  int live_waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ferry::http
