#include "tools/pagerduty_sim/time_window.h"

#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/time_format.h"

namespace ferry::pagerduty_sim {
namespace {

absl::Time AddMonths(absl::Time t, int months) {
  const absl::CivilSecond c = absl::ToCivilSecond(t, absl::UTCTimeZone());
  return absl::FromCivil(absl::CivilSecond(c.year(), c.month() + months, c.day(),
                                           c.hour(), c.minute(), c.second()),
                         absl::UTCTimeZone()) +
         (t - absl::FromCivil(c, absl::UTCTimeZone()));
}

absl::Status RangeError(const std::string& detail) {
  return PdError(400, kCodeInvalidDateRange, "Invalid Query Date Range", {detail});
}

}  // namespace

absl::StatusOr<TimeWindow> ParseWindow(const httplib::Request& req,
                                       absl::TimeZone naive_zone) {
  TimeWindow window;
  for (const char* name : {"since", "until"}) {
    if (!req.has_param(name)) continue;
    auto time = ParseIsoTime(req.get_param_value(name), naive_zone);
    if (!time.ok()) {
      return PdError(400, kCodeInvalidTime,
                     "Invalid time values in 'since' and/or 'until' parameters",
                     {absl::StrCat(name, ": ", time.status().message())});
    }
    (std::string(name) == "since" ? window.since : window.until) = *time;
  }
  if (window.since && window.until && *window.until < *window.since) {
    return RangeError("until must not be before since");
  }
  return window;
}

absl::StatusOr<TimeWindow> IncidentWindow(const httplib::Request& req,
                                          absl::TimeZone naive_zone,
                                          absl::Time now) {
  if (req.get_param_value("date_range") == "all") return TimeWindow{};
  if (req.has_param("date_range")) {
    return InvalidInput("date_range only accepts \"all\"");
  }
  absl::StatusOr<TimeWindow> window = ParseWindow(req, naive_zone);
  if (!window.ok()) return window;
  if (!window->since && !window->until) window->until = now;
  if (!window->since) window->since = AddMonths(*window->until, -1);
  if (!window->until) window->until = std::max(now, *window->since);
  if (*window->until < *window->since) {
    return RangeError("until must not be before since");
  }
  if (*window->until > AddMonths(*window->since, 6)) {
    return RangeError(
        "The maximum range of since/until is 6 months; narrow it or use "
        "date_range=all");
  }
  return window;
}

}  // namespace ferry::pagerduty_sim
