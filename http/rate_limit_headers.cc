#include "http/rate_limit_headers.h"

#include <algorithm>
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
  const std::optional<std::string> remaining_text =
      headers.Get("ratelimit-remaining");
  const std::optional<std::string> reset_text = headers.Get("ratelimit-reset");
  if (!remaining_text || !reset_text) return std::nullopt;
  int remaining = 0;
  double reset_seconds = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(*remaining_text),
                        &remaining) ||
      !absl::SimpleAtod(absl::StripAsciiWhitespace(*reset_text),
                        &reset_seconds) ||
      remaining < 0 || !(reset_seconds >= 0) ||
      reset_seconds > absl::ToDoubleSeconds(absl::Hours(24))) {
    return std::nullopt;
  }
  return RateLimitWindow{remaining, absl::Seconds(reset_seconds)};
}

std::optional<absl::Duration> RetryAfterDelay(const HttpHeaders& headers,
                                              absl::Time now) {
  if (auto retry_after = headers.Get("Retry-After")) {
    return ParseRetryAfter(*retry_after, now);
  }
  return std::nullopt;
}

}  // namespace ferry::http
