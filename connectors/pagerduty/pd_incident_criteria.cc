#include "connectors/pagerduty/pd_incident_criteria.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "http/json_fields.h"

namespace ferry::pagerduty {
namespace {

// Criteria parameters and the incident member each tests.
const std::map<std::string, std::string>& CriteriaMembers() {
  static const auto* members = new std::map<std::string, std::string>{
      {"statuses[]", "status"}, {"urgencies[]", "urgency"},
      {"incident_key", "incident_key"}, {"priority_ids[]", "priority"}};
  return *members;
}

// The member's value: a string, or a reference's id (priority).
std::string MemberValue(const nlohmann::json& incident, const std::string& member) {
  auto it = incident.find(member);
  if (it == incident.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) return http::JsonReader(*it, "PagerDuty incident").StringOr("id");
  return "";
}

}  // namespace

absl::StatusOr<IncidentCriteria> IncidentCriteria::Parse(const std::string& query) {
  IncidentCriteria criteria;
  for (absl::string_view part : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::vector<std::string> pair = absl::StrSplit(part, absl::MaxSplits('=', 1));
    auto member = pair.size() == 2 ? CriteriaMembers().find(pair[0]) : CriteriaMembers().end();
    if (member == CriteriaMembers().end()) {
      std::vector<std::string> known;
      for (const auto& [name, unused] : CriteriaMembers()) known.push_back(name);
      return absl::InvalidArgumentError(absl::StrCat(
          "PagerDuty criteria '", part, "' is not <parameter>=<value> with a parameter of ",
          absl::StrJoin(known, ", ")));
    }
    criteria.allowed_[member->second].push_back(pair[1]);
  }
  return criteria;
}

bool IncidentCriteria::Matches(const nlohmann::json& incident) const {
  for (const auto& [member, values] : allowed_) {
    const std::string value = MemberValue(incident, member);
    if (std::find(values.begin(), values.end(), value) == values.end()) return false;
  }
  return true;
}

}  // namespace ferry::pagerduty
