// Fuzzes the simulator's JQL: tokenizing, parsing and compiling a query
// (against a catalog that knows one of everything) and matching an issue.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "tools/jira_sim/jql_query.h"

namespace {

using ferry::jira_sim::JqlCustomField;

// The value when it names the one project, type, status... known.
std::optional<std::string> IfIs(const std::string& value, const char* id, const char* name) {
  if (absl::EqualsIgnoreCase(value, id) || absl::EqualsIgnoreCase(value, name)) return id;
  return std::nullopt;
}

class OneOfEach : public ferry::jira_sim::JqlCatalog {
 public:
  std::optional<std::string> ProjectId(const std::string& v) const override {
    return IfIs(v, "10000", "OPS");
  }
  std::optional<std::string> IssueTypeId(const std::string& v) const override {
    return IfIs(v, "10002", "Incident");
  }
  std::optional<std::string> StatusId(const std::string& v) const override {
    return IfIs(v, "3", "In Progress");
  }
  std::optional<std::string> PriorityId(const std::string& v) const override {
    return IfIs(v, "2", "High");
  }
  std::optional<int64_t> IssueIdForKey(const std::string& key) const override {
    if (absl::EqualsIgnoreCase(key, "OPS-7")) return 10042;
    return std::nullopt;
  }
  std::optional<JqlCustomField> CustomField(const std::string& written) const override {
    if (written == "10010" || absl::EqualsIgnoreCase(written, "PagerDuty Incident")) {
      return JqlCustomField{"customfield_10010", "PagerDuty Incident", false};
    }
    if (written == "10020" || absl::EqualsIgnoreCase(written, "Impact")) {
      return JqlCustomField{"customfield_10020", "Impact", true};
    }
    return std::nullopt;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ferry::jira_sim;
  const std::string jql(reinterpret_cast<const char*>(data), size);
  const absl::Time now = absl::FromUnixSeconds(1714521600);  // 2024-05-01
  auto query = JqlQuery::Compile(jql, OneOfEach(), absl::UTCTimeZone(), now);
  if (!query.ok()) return 0;
  JqlIssueView issue;
  issue.id = 10042;
  issue.key = "OPS-7";
  issue.project_id = "10000";
  issue.issue_type_id = "10002";
  issue.status_id = "3";
  issue.status_name = "In Progress";
  issue.priority_id = "2";
  issue.summary = "Disk full on db-1";
  issue.created = now - absl::Hours(30);
  issue.updated = now - absl::Hours(1);
  issue.custom_text["customfield_10010"] = "PINC001";
  issue.custom_number["customfield_10020"] = 3.5;
  query->Matches(issue);
  return 0;
}
