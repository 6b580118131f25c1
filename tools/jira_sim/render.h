#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/model.h"

namespace ferry::jira_sim {

// Which Jira the simulator plays.
enum class Dialect { kDataCenter, kCloud };

// How to write one response: dialect, API version (2 or 3; "latest" is 2),
// the base URL for `self` links and the zone timestamps are written in.
struct View {
  Dialect dialect = Dialect::kDataCenter;
  int api_version = 2;
  std::string base_url;
  absl::TimeZone zone = absl::UTCTimeZone();

  // base_url + "/rest/api/<version>" + path.
  std::string Api(const std::string& path) const;
};

// Jira's timestamp form: "2024-05-01T10:15:30.123+1000" (ms, numeric offset).
std::string FormatJiraTime(const View& view, absl::Time t);

// Rich text as the version speaks it: v2 the wiki string, v3 an ADF
// document; null stays null.
nlohmann::json RichText(const View& view,
                        const std::optional<std::string>& wiki);

// A user as nested in other objects: DC with name/key, Cloud with
// accountId (and no name/key). Unknown ids render as null.
nlohmann::json UserJson(const View& view, const State& state,
                        const std::string& account_id);
nlohmann::json UserJson(const View& view, const User& user);
// GET /myself: the user with locale, groups and applicationRoles.
nlohmann::json MyselfJson(const View& view, const User& user);

// Jira's JSON for one catalog entry (self links under view.base_url).
nlohmann::json StatusJson(const View& view, const Status& status);
nlohmann::json PriorityJson(const View& view, const Priority& priority);
nlohmann::json IssueTypeJson(const View& view, const IssueType& type);
nlohmann::json ProjectJson(const View& view, const State& state,
                           const Project& project, bool with_issue_types);
// One entry of GET /field (system and custom fields).
std::vector<nlohmann::json> FieldsJson(const State& state);

// A comment, a changelog entry (Jira's Changelog) and a transition as Jira
// writes them; users inside follow the dialect. A comment carries its
// `properties` ([{"key", "value"}...]) only when `with_properties`, as
// Jira's expand=properties asks.
nlohmann::json CommentJson(const View& view, const State& state,
                           const Issue& issue, const Comment& comment,
                           bool with_properties = false);
nlohmann::json HistoryJson(const View& view, const State& state,
                           const ChangeHistory& history);
nlohmann::json ResolutionJson(const View& view, const Resolution& resolution);
// A transition as GET /issue/{key}/transitions lists it; `with_fields`
// (expand=transitions.fields) adds its screen: per field id `required`,
// `schema`, `name`, `key`, `operations`, and for `resolution` the
// `allowedValues`.
nlohmann::json TransitionJson(const View& view, const State& state,
                              const Transition& transition, bool with_fields);

// Which fields of an issue to include, from a `fields` parameter:
// "*all", "*navigable", a list ("summary,status"), exclusions ("-comment").
class FieldSelection {
 public:
  // `spec` as given (comma-separated, or several repeated parameters
  // joined by commas); `default_spec` when it is empty.
  FieldSelection(const std::string& spec, const std::string& default_spec);
  bool Includes(const std::string& field_id, bool navigable) const;
  // True when only the id is asked for (Cloud's search/jql default).
  bool IdOnly() const;

 private:
  bool all_ = false;
  bool navigable_ = false;
  std::set<std::string> included_;
  std::set<std::string> excluded_;
};

// What else to put beside `fields`.
struct IssueExtras {
  // expand=changelog: the newest 100 entries, newest first on Cloud and
  // oldest first on Data Center.
  bool changelog = false;
  // With `changelog`: every entry, not the newest 100 (Data Center's GET
  // /issue builds the whole history; JRASERVER-60107 is that running out of
  // memory on huge ones).
  bool changelog_complete = false;
  bool transitions = false;  // expand=transitions, for `caller`
  bool transition_fields = false;  // expand=transitions.fields
  const User* caller = nullptr;
  std::vector<std::string> properties;  // keys, or "*all"
};

// An issue (GET /issue, search results).
nlohmann::json IssueJson(const View& view, const State& state,
                         const Issue& issue, const FieldSelection& fields,
                         const IssueExtras& extras);

}  // namespace ferry::jira_sim
