#include "tools/jira_sim/fixture.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tools/jira_sim/comment_ops.h"
#include "tools/jira_sim/errors.h"
#include "tools/jira_sim/issue_ops.h"
#include "tools/jira_sim/search_index.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

absl::Status Bad(const std::string& where, const std::string& what) {
  return absl::InvalidArgumentError(
      absl::StrCat("fixture ", where, ": ", what));
}

std::string Str(const json& j, const char* key) {
  if (!j.contains(key)) return "";
  const json& v = j[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::vector<std::string> Strings(const json& j, const char* key) {
  std::vector<std::string> out;
  for (const json& v : j.value(key, json::array())) {
    out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

absl::Status ReadCatalog(const json& f, State& state) {
  for (const json& s : f.value("statuses", json::array())) {
    state.statuses.push_back({Str(s, "id"), Str(s, "name"),
                              Str(s, "description"),
                              s.value("category", std::string("new"))});
    const std::string& category = state.statuses.back().category_key;
    if (category != "new" && category != "indeterminate" && category != "done") {
      return Bad(absl::StrCat("status ", Str(s, "name")),
                 "category must be new, indeterminate or done");
    }
  }
  for (const json& p : f.value("priorities", json::array())) {
    state.priorities.push_back({Str(p, "id"), Str(p, "name"),
                                Str(p, "description"),
                                p.value("statusColor", std::string("#cfcfcf"))});
  }
  for (const json& t : f.value("issueTypes", json::array())) {
    state.issue_types.push_back(
        {Str(t, "id"), Str(t, "name"), Str(t, "description")});
  }
  for (const json& r : f.value("resolutions", json::array())) {
    state.resolutions.push_back(
        {Str(r, "id"), Str(r, "name"), Str(r, "description")});
  }
  for (const json& c : f.value("customFields", json::array())) {
    FieldDef field;
    field.id = Str(c, "id");
    field.name = Str(c, "name");
    field.type = c.value("type", std::string("string"));
    field.rich_text = c.value("richText", false);
    field.custom_type =
        absl::StrCat("com.atlassian.jira.plugin.system.customfieldtypes:",
                     field.rich_text ? "textarea"
                     : field.type == "number" ? "float"
                                              : "textfield");
    if (field.type != "string" && field.type != "number") {
      return Bad(absl::StrCat("custom field ", field.id),
                 "type must be \"string\" or \"number\"");
    }
    if (field.id.rfind("customfield_", 0) != 0) {
      return Bad(absl::StrCat("custom field ", field.id),
                 "ids look like customfield_10010");
    }
    state.custom_fields.push_back(field);
  }
  for (const json& w : f.value("workflows", json::array())) {
    Workflow workflow;
    workflow.name = Str(w, "name");
    workflow.initial_status_id = Str(w, "initialStatus");
    if (FindStatus(state, workflow.initial_status_id) == nullptr) {
      return Bad(absl::StrCat("workflow ", workflow.name),
                 absl::StrCat("initialStatus '", workflow.initial_status_id,
                              "' is not a status id"));
    }
    for (const json& t : w.value("transitions", json::array())) {
      Transition transition{Str(t, "id"), Str(t, "name"), Str(t, "to"),
                            Strings(t, "from"), {}};
      for (const std::string& id : transition.from_status_ids) {
        if (FindStatus(state, id) == nullptr) {
          return Bad(absl::StrCat("workflow ", workflow.name, " transition ",
                                  transition.name),
                     absl::StrCat("from status '", id, "' is not a status id"));
        }
      }
      if (FindStatus(state, transition.to_status_id) == nullptr) {
        return Bad(absl::StrCat("workflow ", workflow.name, " transition ",
                                transition.name),
                   "'to' must be a status id");
      }
      for (const json& field : t.value("fields", json::array())) {
        TransitionField screen{Str(field, "id"), field.value("required", false)};
        if (screen.field_id != "resolution" &&
            FindCustomField(state, screen.field_id) == nullptr) {
          return Bad(absl::StrCat("workflow ", workflow.name, " transition ",
                                  transition.name),
                     absl::StrCat("field '", screen.field_id,
                                  "' must be \"resolution\" or a custom "
                                  "field id from customFields"));
        }
        transition.fields.push_back(screen);
      }
      workflow.transitions.push_back(transition);
    }
    state.workflows[workflow.name] = workflow;
  }
  for (const json& p : f.value("projects", json::array())) {
    Project project;
    project.id = Str(p, "id");
    project.key = Str(p, "key");
    project.name = Str(p, "name");
    project.issue_type_ids = Strings(p, "issueTypes");
    project.default_workflow = Str(p, "workflow");
    const json by_type = p.value("workflowsByIssueType", json::object());
    for (auto& [type, name] : by_type.items()) {
      project.workflow_by_issue_type[type] = name.get<std::string>();
    }
    project.screen_field_ids = p.contains("screenFields")
                                   ? Strings(p, "screenFields")
                                   : std::vector<std::string>{
                                         "summary", "description", "priority",
                                         "labels"};
    std::string where = absl::StrCat("project ", project.key);
    if (state.workflows.count(project.default_workflow) == 0) {
      return Bad(where, absl::StrCat("workflow '", project.default_workflow,
                                     "' is not defined under workflows"));
    }
    for (const std::string& type : project.issue_type_ids) {
      if (FindIssueType(state, type) == nullptr) {
        return Bad(where, absl::StrCat("issue type '", type, "' unknown"));
      }
    }
    state.projects.push_back(project);
  }
  return absl::OkStatus();
}

absl::Status ReadIssue(const json& j, State& state) {
  std::string where = absl::StrCat("issue '", Str(j, "summary"), "'");
  const User* reporter = FindUserById(state, Str(j, "reporter"));
  if (reporter == nullptr) {
    return Bad(where, "reporter must be the accountId of a fixture user");
  }
  IssueWrite write;
  write.fields = {{"project", {{"key", Str(j, "project")}}},
                  {"issuetype", {{"name", Str(j, "issueType")}}},
                  {"summary", j.value("summary", std::string())}};
  if (j.contains("description")) write.fields["description"] = j["description"];
  if (j.contains("priority")) {
    write.fields["priority"] = {{"name", Str(j, "priority")}};
  }
  if (j.contains("labels")) write.fields["labels"] = j["labels"];
  const json custom = j.value("customFields", json::object());
  for (auto& [id, value] : custom.items()) {
    write.fields[id] = value;
  }
  const json properties = j.value("properties", json::object());
  for (auto& [key, value] : properties.items()) {
    write.properties.push_back({{"key", key}, {"value", value}});
  }
  absl::StatusOr<absl::Time> created =
      ParseJiraTime(j.value("created", std::string()));
  if (!created.ok()) return Bad(where, std::string(created.status().message()));
  User loader = *reporter;
  loader.permissions = Permissions();  // fixtures load whatever they say
  absl::StatusOr<int64_t> id = CreateIssue(state, loader, write, *created);
  if (!id.ok()) {
    return Bad(where, absl::StrCat(id.status().message(), " ",
                                   ErrorBody(id.status())["errors"].dump()));
  }
  Issue& issue = state.issues[*id];
  if (j.contains("status")) {
    const Status* status = FindStatus(state, Str(j, "status"));
    if (status == nullptr) return Bad(where, "status unknown");
    issue.status_id = status->id;
  }
  for (const json& c : j.value("comments", json::array())) {
    const User* author = FindUserById(state, Str(c, "author"));
    absl::StatusOr<absl::Time> at = ParseJiraTime(Str(c, "created"));
    if (author == nullptr || !at.ok()) {
      return Bad(where, "comments need an author accountId and a created time");
    }
    absl::StatusOr<int64_t> added =
        AddComment(state, loader, issue, Str(c, "body"), nullptr, *at);
    if (!added.ok()) return Bad(where, std::string(added.status().message()));
    issue.comments.back().author_id = author->account_id;
    issue.comments.back().update_author_id = author->account_id;
  }
  absl::StatusOr<absl::Time> updated =
      ParseJiraTime(j.value("updated", j.value("created", std::string())));
  if (!updated.ok()) return Bad(where, std::string(updated.status().message()));
  issue.index_versions.clear();  // indexed as the fixture states it
  TouchIssue(state, issue, *updated);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<absl::Time> ParseJiraTime(const std::string& text) {
  absl::Time t;
  std::string error;
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S%z", "%Y-%m-%dT%H:%M:%E*S%Ez"}) {
    if (absl::ParseTime(format, text, &t, &error)) return t;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "time '", text,
      "' is not like 2024-05-01T10:15:30.123+0000 (", error, ")"));
}

absl::StatusOr<User> UserFromJson(const json& j) {
  User user;
  user.account_id = Str(j, "accountId");
  user.name = Str(j, "name");
  user.key = j.contains("key") ? Str(j, "key") : user.name;
  user.email = Str(j, "email");
  user.display_name = Str(j, "displayName");
  user.time_zone = j.value("timeZone", std::string("UTC"));
  user.locale = j.value("locale", std::string("en_US"));
  user.password = Str(j, "password");
  user.api_token = Str(j, "apiToken");
  user.personal_access_tokens = Strings(j, "personalAccessTokens");
  json p = j.value("permissions", json::object());
  user.permissions.browse = p.value("browse", true);
  user.permissions.create = p.value("create", true);
  user.permissions.edit = p.value("edit", true);
  user.permissions.transition = p.value("transition", true);
  user.permissions.comment = p.value("comment", true);
  user.permissions.admin = p.value("admin", false);
  if (user.account_id.empty()) {
    return Bad(absl::StrCat("user ", user.name), "accountId is required");
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(user.time_zone, &zone)) {
    return Bad(absl::StrCat("user ", user.account_id),
               absl::StrCat("timeZone '", user.time_zone,
                            "' is not an IANA zone like Australia/Sydney"));
  }
  return user;
}

absl::StatusOr<State> StateFromFixture(const json& fixture) {
  if (!fixture.is_object()) return Bad("document", "must be a JSON object");
  State state;
  state.server_title = fixture.value("serverTitle", state.server_title);
  state.server_time_zone =
      fixture.value("serverTimeZone", state.server_time_zone);
  for (const json& u : fixture.value("users", json::array())) {
    absl::StatusOr<User> user = UserFromJson(u);
    if (!user.ok()) return user.status();
    state.users.push_back(*std::move(user));
  }
  absl::Status catalog = ReadCatalog(fixture, state);
  if (!catalog.ok()) return catalog;
  for (const json& issue : fixture.value("issues", json::array())) {
    absl::Status read = ReadIssue(issue, state);
    if (!read.ok()) return read;
  }
  return state;
}

absl::StatusOr<State> StateFromFixtureFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read fixture ", path, "; check --fixture"));
  }
  std::stringstream text;
  text << in.rdbuf();
  json fixture = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (fixture.is_discarded()) {
    return absl::InvalidArgumentError(
        absl::StrCat("fixture ", path, " is not valid JSON"));
  }
  return StateFromFixture(fixture);
}

}  // namespace ferry::jira_sim
