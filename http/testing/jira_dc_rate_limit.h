#pragma once

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "http/clock.h"
#include "http/http_message.h"

namespace ferry::http {

// The server side of Jira Data Center's rate limit, for tests of the
// client's budget: one token bucket that starts full at `capacity` and
// refills continuously by `fill_rate` tokens every `interval`, on the
// test's clock. Take() spends a whole token if there is one and says what
// Jira DC answers with: its four X-RateLimit-* headers and `retry-after`
// (0 while tokens remain, else the seconds until the next token). It
// counts refusals, the 429s a client should never cause. Thread-safe.
class JiraDcRateLimit {
 public:
  struct Answer {
    bool allowed = false;
    HttpHeaders headers;
  };

  // `clock` must outlive this; all numbers must be positive.
  JiraDcRateLimit(Clock& clock, int capacity, int fill_rate,
                  absl::Duration interval);

  Answer Take();

  // Requests refused so far.
  int refused();

 private:
  Clock& clock_;
  const int capacity_;
  const int fill_rate_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_);
  absl::Time refilled_until_ ABSL_GUARDED_BY(mu_);
  int refused_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ferry::http
