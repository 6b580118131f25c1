#pragma once

#include <functional>

#include "absl/time/time.h"

namespace ferry::http {

// How hard the client tries before it reports a failure.
//
// A request is attempted at most `max_attempts` times, and no retry starts
// once `max_total_time` has passed since the first attempt began, or would
// have to wait past it. Between attempts the client waits what the server
// asked for (429, or Retry-After on 408/5xx) when that is longer than an
// exponential backoff with full jitter, and the backoff otherwise:
//   uniform(0, min(max_backoff, initial_backoff * 2^(retry - 1)))
// Full jitter spreads the retries of many clients that failed together
// (AWS Architecture Blog, "Exponential Backoff And Jitter").
struct RetryPolicy {
  int max_attempts = 5;
  absl::Duration initial_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(30);
  absl::Duration max_total_time = absl::Minutes(2);
};

// A source of uniformly distributed numbers in [0, 1). Must be safe to call
// from several threads at once.
using UniformRandom = std::function<double()>;

// A thread-safe UniformRandom seeded from the OS.
UniformRandom DefaultUniformRandom();

// The backoff before retry number `retry` (1 for the first retry), given a
// draw `uniform01` in [0, 1) from a UniformRandom.
absl::Duration BackoffDelay(const RetryPolicy& policy, int retry,
                            double uniform01);

// Whether a response with `status_code` is worth retrying after a wait:
// 408 (request timeout), 429 (rate limited) and every 5xx.
bool IsRetryableHttpStatus(int status_code);

}  // namespace ferry::http
