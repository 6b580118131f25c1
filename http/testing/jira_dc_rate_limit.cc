#include "http/testing/jira_dc_rate_limit.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ferry::http {

JiraDcRateLimit::JiraDcRateLimit(Clock& clock, int capacity, int fill_rate,
                                 absl::Duration interval)
    : clock_(clock),
      capacity_(capacity),
      fill_rate_(fill_rate),
      interval_(interval),
      tokens_(capacity),
      refilled_until_(clock.Now()) {}

JiraDcRateLimit::Answer JiraDcRateLimit::Take() {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  const double per_second = fill_rate_ / absl::ToDoubleSeconds(interval_);
  if (now > refilled_until_) {
    tokens_ = std::min<double>(
        capacity_,
        tokens_ + absl::ToDoubleSeconds(now - refilled_until_) * per_second);
    refilled_until_ = now;
  }
  Answer answer;
  answer.allowed = tokens_ >= 1;
  if (answer.allowed) {
    tokens_ -= 1;
  } else {
    ++refused_;
  }
  const double retry_after =
      answer.allowed ? 0 : std::ceil((1 - tokens_) / per_second);
  answer.headers.Add("X-RateLimit-Limit", std::to_string(capacity_));
  answer.headers.Add("X-RateLimit-Remaining",
                     std::to_string(static_cast<int>(std::floor(tokens_))));
  answer.headers.Add("X-RateLimit-Interval-Seconds",
                     std::to_string(absl::ToInt64Seconds(interval_)));
  answer.headers.Add("X-RateLimit-FillRate", std::to_string(fill_rate_));
  answer.headers.Add("retry-after",
                     std::to_string(static_cast<int>(retry_after)));
  return answer;
}

int JiraDcRateLimit::refused() {
  absl::MutexLock lock(&mu_);
  return refused_;
}

}  // namespace ferry::http
