#pragma once

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tools/simcore/sim_clock.h"

namespace ferry::simcore {

// How many requests a credential may make per window. By default the
// bucket holds at most `limit` tokens and refills continuously at
// limit/window (Jira Data Center's token bucket). With `fixed_window`
// (PagerDuty's per-minute window) the key's first request opens a window
// of `window` with `limit` requests, refilled whole only when it ends.
struct RateLimit {
  int limit = 960;
  absl::Duration window = absl::Minutes(1);
  bool fixed_window = false;
};

// The outcome of one Acquire, with what a server needs for its headers.
struct RateDecision {
  bool allowed = false;
  int limit = 0;
  // Whole tokens left after this request.
  int remaining = 0;
  // Seconds (rounded up) until the bucket is full again (with a fixed
  // window: until the window ends); when the request was refused this is
  // also a safe time to wait before retrying.
  int reset_seconds = 0;
};

// A token bucket per credential key (a token, a user id... the caller
// decides what is rate limited together). Time comes from a SimClock, so
// advancing the clock refills buckets. Thread-safe. The server decides the
// header names and error body of a refusal; this class only counts.
class TokenBucketRateLimiter {
 public:
  // `clock` must outlive the limiter.
  TokenBucketRateLimiter(const SimClock* clock, RateLimit limits);

  // Takes one token for `key` if there is one. Unknown keys start full.
  RateDecision Acquire(const std::string& key);

  // Replaces the limits and refills every bucket (as a fresh window would).
  // A limit < 1 or a non-positive window is refused (returns false).
  bool SetLimits(RateLimit limits);
  RateLimit limits() const;

 private:
  struct Bucket {
    double tokens = 0;
    // Refilled up to this instant; with a fixed window, when it opened.
    absl::Time updated;
  };

  const SimClock* clock_;
  mutable absl::Mutex mu_;
  RateLimit limits_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::simcore
