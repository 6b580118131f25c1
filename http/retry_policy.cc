#include "http/retry_policy.h"

#include <algorithm>
#include <cmath>

#include "absl/random/random.h"

namespace ferry::http {

UniformRandom DefaultUniformRandom() {
  return [] {
    thread_local absl::BitGen bit_gen;
    return absl::Uniform(bit_gen, 0.0, 1.0);
  };
}

absl::Duration BackoffDelay(const RetryPolicy& policy, int retry,
                            double uniform01) {
  // 2^62 overflows no Duration arithmetic below; larger exponents only cap.
  const int exponent = std::clamp(retry - 1, 0, 62);
  const absl::Duration ceiling = std::min(
      policy.max_backoff, policy.initial_backoff * std::ldexp(1.0, exponent));
  return ceiling * std::clamp(uniform01, 0.0, 1.0);
}

bool IsRetryableHttpStatus(int status_code) {
  return status_code == 408 || status_code == 429 ||
         (status_code >= 500 && status_code <= 599);
}

}  // namespace ferry::http
