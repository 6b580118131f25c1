#include "tools/pagerduty_sim/time_format.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ferry::pagerduty_sim {

absl::StatusOr<absl::Time> ParseIsoTime(const std::string& text,
                                        absl::TimeZone naive_zone) {
  // absl::ParseTime uses `naive_zone` only when the text has no offset.
  static constexpr const char* kFormats[] = {
      "%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*S%z", "%Y-%m-%dT%H:%M:%E*S",
      "%Y-%m-%dT%H:%M%Ez",      "%Y-%m-%dT%H:%M%z",      "%Y-%m-%dT%H:%M",
      "%Y-%m-%d",
  };
  for (const char* format : kFormats) {
    absl::Time time;
    if (absl::ParseTime(format, text, naive_zone, &time, nullptr)) return time;
    // "+hh" offsets: complete them to "+hh00" and retry the %z forms.
    const size_t sign = text.find_last_of("+-");
    if (sign != std::string::npos && sign > 10 && text.size() - sign == 3 &&
        absl::ParseTime(format, text + "00", naive_zone, &time, nullptr)) {
      return time;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", text, "\" is not an ISO 8601 date-time; use e.g. 2024-05-06T17:00:00Z"));
}

std::string FormatIsoTime(absl::Time time, absl::TimeZone zone) {
  const absl::TimeZone::CivilInfo info = zone.At(time);
  if (info.offset == 0) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, zone);
  }
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", time, zone);
}

absl::StatusOr<absl::TimeZone> LoadZone(const std::string& name) {
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(name, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown time zone \"", name, "\"; use an IANA name like Etc/UTC"));
  }
  return zone;
}

}  // namespace ferry::pagerduty_sim
