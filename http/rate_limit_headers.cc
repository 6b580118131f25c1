#include "http/rate_limit_headers.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace ferry::http {
namespace {

constexpr char kHttpDateFormat[] = "%a, %d %b %Y %H:%M:%S GMT";
// Jira Cloud documents minutes precision ("yyyy-MM-ddTHH:mmZ").
constexpr char kIsoMinutesFormat[] = "%Y-%m-%dT%H:%M%Ez";

absl::Duration NonNegative(absl::Duration delay) {
  return std::max(delay, absl::ZeroDuration());
}

std::optional<absl::Duration> ParseSeconds(absl::string_view text) {
  double seconds = 0;
  if (!absl::SimpleAtod(absl::StripAsciiWhitespace(text), &seconds)) {
    return std::nullopt;
  }
  return NonNegative(absl::Seconds(seconds));
}

std::optional<absl::Time> ParseInstant(absl::string_view text,
                                       const char* format) {
  absl::Time when;
  std::string error;
  if (!absl::ParseTime(format, absl::StripAsciiWhitespace(text), &when,
                       &error)) {
    return std::nullopt;
  }
  return when;
}

std::optional<absl::Duration> ParseRetryAfter(absl::string_view text,
                                              absl::Time now) {
  if (auto seconds = ParseSeconds(text)) return seconds;
  if (auto when = ParseInstant(text, kHttpDateFormat)) {
    return NonNegative(*when - now);
  }
  return std::nullopt;
}

std::optional<absl::Duration> ParseResetInstant(absl::string_view text,
                                                absl::Time now) {
  int64_t unix_seconds = 0;
  if (absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &unix_seconds)) {
    return NonNegative(absl::FromUnixSeconds(unix_seconds) - now);
  }
  for (const char* format : {absl::RFC3339_full, kIsoMinutesFormat}) {
    if (auto when = ParseInstant(text, format)) {
      return NonNegative(*when - now);
    }
  }
  return std::nullopt;
}

// A header holding a whole number >= `minimum`.
std::optional<int> WholeHeader(const HttpHeaders& headers,
                               absl::string_view name, int minimum) {
  const std::optional<std::string> text = headers.Get(name);
  int value = 0;
  if (!text || !absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &value) ||
      value < minimum) {
    return std::nullopt;
  }
  return value;
}

// A header holding a finite number > 0.
std::optional<double> PositiveHeader(const HttpHeaders& headers,
                                     absl::string_view name) {
  const std::optional<std::string> text = headers.Get(name);
  double value = 0;
  if (!text || !absl::SimpleAtod(absl::StripAsciiWhitespace(*text), &value) ||
      !(value > 0) || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// A header holding seconds, at most a day (> 0 unless `may_be_zero`).
std::optional<absl::Duration> SpanHeader(const HttpHeaders& headers,
                                         absl::string_view name,
                                         bool may_be_zero) {
  const std::optional<std::string> text = headers.Get(name);
  double seconds = 0;
  if (!text || !absl::SimpleAtod(absl::StripAsciiWhitespace(*text), &seconds) ||
      !(may_be_zero ? seconds >= 0 : seconds > 0) ||
      seconds > absl::ToDoubleSeconds(absl::Hours(24))) {
    return std::nullopt;
  }
  return absl::Seconds(seconds);
}

}  // namespace

std::optional<absl::Duration> RateLimitDelay(const HttpHeaders& headers,
                                             absl::Time now) {
  if (auto reset = headers.Get("ratelimit-reset")) {
    if (auto delay = ParseSeconds(*reset)) return delay;
  }
  if (auto delay = RetryAfterDelay(headers, now)) return delay;
  if (auto reset = headers.Get("X-RateLimit-Reset")) {
    return ParseResetInstant(*reset, now);
  }
  return std::nullopt;
}

std::optional<RateLimitWindow> RateLimitWindowOf(const HttpHeaders& headers) {
  const std::optional<int> remaining =
      WholeHeader(headers, "ratelimit-remaining", /*minimum=*/0);
  const std::optional<absl::Duration> reset =
      SpanHeader(headers, "ratelimit-reset", /*may_be_zero=*/true);
  if (!remaining || !reset) return std::nullopt;
  return RateLimitWindow{*remaining, *reset};
}

std::optional<RateLimitBucket> RateLimitBucketOf(const HttpHeaders& headers) {
  const std::optional<int> capacity =
      WholeHeader(headers, "X-RateLimit-Limit", /*minimum=*/1);
  const std::optional<int> remaining =
      WholeHeader(headers, "X-RateLimit-Remaining", /*minimum=*/0);
  const std::optional<double> fill = PositiveHeader(headers, "X-RateLimit-FillRate");
  const std::optional<absl::Duration> interval = SpanHeader(
      headers, "X-RateLimit-Interval-Seconds", /*may_be_zero=*/false);
  if (!capacity || !remaining || !fill || !interval) return std::nullopt;
  return RateLimitBucket{std::min(*remaining, *capacity), *capacity,
                         *fill / absl::ToDoubleSeconds(*interval)};
}

std::optional<ServerRateLimit> ServerRateLimitOf(const HttpHeaders& headers) {
  if (auto window = RateLimitWindowOf(headers)) return *window;
  if (auto bucket = RateLimitBucketOf(headers)) return *bucket;
  return std::nullopt;
}

std::optional<absl::Duration> RetryAfterDelay(const HttpHeaders& headers,
                                              absl::Time now) {
  if (auto retry_after = headers.Get("Retry-After")) {
    return ParseRetryAfter(*retry_after, now);
  }
  return std::nullopt;
}

}  // namespace ferry::http
