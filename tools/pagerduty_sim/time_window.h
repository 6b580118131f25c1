#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "httplib.h"

namespace ferry::pagerduty_sim {

// A [since, until) filter on a timestamp; unset bounds are open.
struct TimeWindow {
  std::optional<absl::Time> since;
  std::optional<absl::Time> until;

  bool Contains(absl::Time t) const {
    return (!since || t >= *since) && (!until || t < *until);
  }
};

// Reads since/until. Values without an offset are read in `naive_zone`.
// Unparsable: 400 / 2004; until before since: 400 / 2005.
absl::StatusOr<TimeWindow> ParseWindow(const httplib::Request& req,
                                       absl::TimeZone naive_zone);

// GET /incidents' window (PagerDuty REST API reference: List incidents): date_range=all disables it;
// otherwise without bounds the window is the month up to now, since alone
// runs to now, until alone starts a month earlier, and a window longer than six months
// is 400 / 2005.
absl::StatusOr<TimeWindow> IncidentWindow(const httplib::Request& req,
                                          absl::TimeZone naive_zone,
                                          absl::Time now);

}  // namespace ferry::pagerduty_sim
