#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ferry::jira_sim {

// What a JQL query can see of one issue.
struct JqlIssueView {
  int64_t id = 0;
  std::string key;  // current key, e.g. "OPS-12"
  std::string project_id;
  std::string issue_type_id;
  std::string status_id;
  std::string status_name;
  std::string priority_id;  // empty when the issue has no priority
  int priority_sequence = 0;  // 0 = the most important priority
  std::string summary;
  absl::Time created;
  absl::Time updated;
  // Custom field values by field id ("customfield_10010"); absent = empty.
  std::map<std::string, std::string> custom_text;
  std::map<std::string, double> custom_number;
};

// A custom field JQL can search: by `cf[10010]` or by its name.
struct JqlCustomField {
  std::string id;    // "customfield_10010"
  std::string name;  // "PagerDuty Incident"
  bool number = false;  // number fields compare; text fields take ~ and !~
};

// Names and ids a query's values are checked against. Lookups take an id, a
// key (projects) or a name, case-insensitively, and return the id, or
// nullopt when nothing matches (Jira then refuses the query).
class JqlCatalog {
 public:
  virtual ~JqlCatalog() = default;
  virtual std::optional<std::string> ProjectId(const std::string& v) const = 0;
  virtual std::optional<std::string> IssueTypeId(
      const std::string& v) const = 0;
  virtual std::optional<std::string> StatusId(const std::string& v) const = 0;
  virtual std::optional<std::string> PriorityId(
      const std::string& v) const = 0;
  // The id of the issue a key names now or named before a move.
  virtual std::optional<int64_t> IssueIdForKey(const std::string& key) const = 0;
  // The custom field written as `cf[10010]` or by name.
  virtual std::optional<JqlCustomField> CustomField(
      const std::string& written) const = 0;
};

// A compiled JQL query: which issues match and in what order.
//
// Supported: fields project, key (issuekey), id, issuetype (type), status,
// priority, summary, created (createdDate), updated (updatedDate) and
// custom fields (cf[10010] or by name); operators = != IN, NOT IN,
// IS [NOT] EMPTY on the look-up fields, ~ and !~ on summary and custom text
// fields (every word of the value must occur, case folded; a trailing *
// matches a prefix), = != < <= > >= IN on dates (see ResolveJqlDate) and
// custom number fields; AND, OR, NOT, parentheses; ORDER BY any of them.
// Without ORDER BY issues come newest key first (key DESC). Ties break by id.
// Immutable after Compile; safe to use from several threads.
class JqlQuery {
 public:
  // Parses and checks `jql` against `catalog`. Date literals are resolved in
  // `user_zone` relative to `now`. Fails with InvalidArgument and Jira's
  // message for bad syntax, unknown fields or values, and operators a field
  // does not support.
  static absl::StatusOr<JqlQuery> Compile(const std::string& jql,
                                          const JqlCatalog& catalog,
                                          absl::TimeZone user_zone,
                                          absl::Time now);

  // True when the query has a condition (Cloud refuses unbounded searches).
  bool bounded() const { return static_cast<bool>(where_); }

  bool Matches(const JqlIssueView& issue) const;

  // Sorts matching issues into the query's order.
  void Sort(std::vector<const JqlIssueView*>* issues) const;

 private:
  using Predicate = std::function<bool(const JqlIssueView&)>;
  // <0, 0, >0 like strcmp.
  using Comparator =
      std::function<int(const JqlIssueView&, const JqlIssueView&)>;

  Predicate where_;
  std::vector<Comparator> order_;
};

}  // namespace ferry::jira_sim
