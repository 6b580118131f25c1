#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/jql_query.h"

namespace ferry::jira_sim {

// What a user may do. Jira grants these per project through permission
// schemes; the simulator grants them per user, for every project.
struct Permissions {
  bool browse = true;      // see issues (else: 404 and empty searches)
  bool create = true;      // create issues
  bool edit = true;        // edit fields, set properties, remote links
  bool transition = true;  // see and perform transitions
  bool comment = true;     // add comments; edit/delete own comments
  bool admin = false;      // Administer Jira (global): read workflows
};

struct User {
  std::string account_id;    // Cloud identity; the simulator's internal id
  std::string name;          // Data Center user name (Basic auth user)
  std::string key;           // Data Center user key
  std::string email;         // Cloud Basic auth user
  std::string display_name;
  std::string time_zone = "UTC";  // IANA name; JQL literals use it
  std::string locale = "en_US";
  std::string password;           // Data Center Basic auth
  std::string api_token;          // Cloud Basic auth (email:api_token)
  std::vector<std::string> personal_access_tokens;  // Data Center Bearer
  Permissions permissions;
};

// statusCategory keys Jira uses: "new", "indeterminate", "done".
struct Status {
  std::string id;
  std::string name;
  std::string description;
  std::string category_key = "new";
};

struct Priority {
  std::string id;
  std::string name;
  std::string description;
  std::string status_color = "#cfcfcf";
};

struct IssueType {
  std::string id;
  std::string name;
  std::string description;
};

// A resolution (the system field `resolution`).
struct Resolution {
  std::string id;
  std::string name;
  std::string description;
};

// A field on a transition's screen; `required` when a validator (or the
// field configuration) makes it mandatory on that transition.
struct TransitionField {
  std::string field_id;  // "resolution" or a custom field id
  bool required = false;
};

// A workflow transition; `from_status_ids` empty means global (from any
// status other than its target). `fields` is its screen (none: no screen).
struct Transition {
  std::string id;
  std::string name;
  std::string to_status_id;
  std::vector<std::string> from_status_ids;
  std::vector<TransitionField> fields;
};

struct Workflow {
  std::string name;
  std::string initial_status_id;
  std::vector<Transition> transitions;
};

// A custom field ("customfield_10010") from the fixture. System fields are
// built in (render.cc lists them for GET /field).
struct FieldDef {
  std::string id;
  std::string name;
  std::string type = "string";  // Jira schema type: "string" or "number"
  bool rich_text = false;       // wiki on v2, ADF on v3 (textarea)
  std::string custom_type;   // e.g. "com.atlassian.jira.plugin.system.customfieldtypes:textarea"
};

struct Project {
  std::string id;
  std::string key;
  std::string name;
  std::vector<std::string> issue_type_ids;
  // Workflow per issue type id; types not listed use `default_workflow`.
  std::map<std::string, std::string> workflow_by_issue_type;
  std::string default_workflow;
  // Fields on the create and edit screens (ids). summary, issuetype and
  // project are always settable on create.
  std::vector<std::string> screen_field_ids;
};

struct Comment {
  int64_t id = 0;
  std::string author_id;  // User::account_id
  std::string update_author_id;
  std::string body;  // wiki markup (the v2 form)
  // The ADF document as last written through /rest/api/3, or null: Cloud
  // keeps ADF, so v3 reads give it back as written.
  nlohmann::json adf;
  absl::Time created;
  absl::Time updated;
  nlohmann::json visibility;  // null or {"type","value"}
  // Comment properties by key, as set with the create request's
  // `properties`; shown with expand=properties.
  std::map<std::string, nlohmann::json> properties;
};

// One changed field in a changelog entry (Jira's ChangeDetails).
struct ChangeItem {
  std::string field;      // display name, lower case for system fields
  std::string field_type = "jira";  // "jira" or "custom"
  std::string field_id;
  nlohmann::json from;    // id or null
  nlohmann::json from_string;
  nlohmann::json to;
  nlohmann::json to_string;
};

struct ChangeHistory {
  int64_t id = 0;
  std::string author_id;
  absl::Time created;
  std::vector<ChangeItem> items;
  nlohmann::json history_metadata;  // null or as the client sent it
};

struct RemoteLink {
  int64_t id = 0;
  std::string global_id;  // empty when the client gave none
  nlohmann::json application;
  nlohmann::json relationship;
  nlohmann::json object;
};

// What a search index held for an issue from `at` on (see search_index.h).
struct IndexedVersion {
  absl::Time at;
  JqlIssueView view;
};

struct Issue {
  int64_t id = 0;
  std::string key;
  std::vector<std::string> previous_keys;  // keys before moves
  std::string project_id;
  std::string issue_type_id;
  std::string status_id;
  std::string priority_id;  // empty: none
  std::string resolution_id;  // empty: unresolved
  std::string summary;
  std::optional<std::string> description;  // wiki markup
  std::vector<std::string> labels;
  std::map<std::string, nlohmann::json> custom_fields;  // v2 form values
  std::string reporter_id;
  std::string creator_id;
  absl::Time created;
  absl::Time updated;
  absl::Time status_category_changed;
  std::vector<Comment> comments;
  std::vector<ChangeHistory> changelog;  // oldest first
  std::map<std::string, nlohmann::json> properties;
  std::vector<RemoteLink> remote_links;
  std::vector<IndexedVersion> index_versions;  // oldest first
  // Set while an admin holds the issue back from the search index: searches
  // see it as it was at this time (a late index update).
  std::optional<absl::Time> index_held_since;
};

// Everything the simulator knows. Plain data: the Store guards it with a
// lock; the operations in issue_ops.h etc. read and change it.
struct State {
  std::string server_title = "Ferry Jira simulator";
  std::string server_time_zone = "UTC";  // timestamps are written in it
  std::vector<User> users;
  std::vector<Status> statuses;
  std::vector<Priority> priorities;  // most important first
  std::vector<IssueType> issue_types;
  std::vector<Resolution> resolutions;
  std::vector<FieldDef> custom_fields;
  std::map<std::string, Workflow> workflows;  // by name
  std::vector<Project> projects;
  std::map<int64_t, Issue> issues;  // by id
  // Next issue number per project key.
  std::map<std::string, int64_t> next_issue_number;
  int64_t next_issue_id = 10000;
  int64_t next_comment_id = 10000;
  int64_t next_history_id = 10000;
  int64_t next_remote_link_id = 10000;
};

// Look-ups over State. Names and keys match case-insensitively; every
// function returns nullptr when nothing matches.
const User* FindUserById(const State& state, const std::string& account_id);
const Status* FindStatus(const State& state, const std::string& id_or_name);
const Priority* FindPriority(const State& state, const std::string& id_or_name);
const IssueType* FindIssueType(const State& state,
                               const std::string& id_or_name);
const Project* FindProject(const State& state,
                           const std::string& id_key_or_name);
const Resolution* FindResolution(const State& state,
                                 const std::string& id_or_name);
const FieldDef* FindCustomField(const State& state, const std::string& id);
// By numeric id, current key or a key the issue had before a move.
Issue* FindIssue(State& state, const std::string& id_or_key);
const Issue* FindIssue(const State& state, const std::string& id_or_key);
// The workflow that governs `issue` (its project's, for its type).
const Workflow* WorkflowFor(const State& state, const Issue& issue);
// Position of a priority in State::priorities (0 = most important).
int PrioritySequence(const State& state, const std::string& priority_id);

}  // namespace ferry::jira_sim
