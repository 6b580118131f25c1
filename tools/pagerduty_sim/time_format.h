#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ferry::pagerduty_sim {

// Parses the ISO 8601 forms PagerDuty accepts: "2011-05-06T17:00:00Z",
// fractional seconds, "2011-05-06T17:00Z", offsets "+hh:mm", "+hhmm" or
// "+hh", and a bare date "2011-05-06". A value without an offset is read in
// `naive_zone` (the account's or the request's time_zone). The error says
// which value failed (HTTP 400 / 2004 is the caller's to produce).
absl::StatusOr<absl::Time> ParseIsoTime(const std::string& text,
                                        absl::TimeZone naive_zone);

// Renders `time` in `zone` as PagerDuty does: seconds precision, "Z" for UTC
// and "+hh:mm" otherwise.
std::string FormatIsoTime(absl::Time time, absl::TimeZone zone);

// Loads an IANA zone name ("America/New_York", "UTC", "Etc/UTC").
absl::StatusOr<absl::TimeZone> LoadZone(const std::string& name);

}  // namespace ferry::pagerduty_sim
