#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace ferry::pagerduty {

// Which incidents a reader syncs: ReaderOptions.criteria in PagerDuty's
// query syntax ("statuses[]=triggered&statuses[]=acknowledged",
// "urgencies[]=high", "incident_key=abc", "priority_ids[]=PPRIO1"), checked
// on each incident as it is now rather than sent as list filters. A
// parameter given several times matches any of its values; different
// parameters must all match; no criteria match every incident. An
// immutable value, safe to share between threads.
class IncidentCriteria {
 public:
  // INVALID_ARGUMENT, naming the parameters PagerDuty filters incidents on,
  // for a part that is not one of them or not <parameter>=<value>.
  static absl::StatusOr<IncidentCriteria> Parse(const std::string& query);

  // Whether `incident` (GET /incidents JSON) meets every parameter.
  bool Matches(const nlohmann::json& incident) const;

 private:
  // Incident member ("status", "priority", ...) -> the values it may have.
  std::map<std::string, std::vector<std::string>> allowed_;
};

}  // namespace ferry::pagerduty
