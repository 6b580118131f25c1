// Fuzzes the PagerDuty incident criteria: the input's first line is the
// query ("statuses[]=triggered&urgencies[]=high"), the rest an incident
// the parsed criteria are matched against.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "connectors/pagerduty/pd_incident_criteria.h"
#include "http/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  auto criteria =
      ferry::pagerduty::IncidentCriteria::Parse(std::string(input.substr(0, newline)));
  if (!criteria.ok() || newline == absl::string_view::npos) return 0;
  auto incident = ferry::http::ParseJson(input.substr(newline + 1), "fuzz");
  if (incident.ok()) criteria->Matches(*incident);
  return 0;
}
