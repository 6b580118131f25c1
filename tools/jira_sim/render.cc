#include "tools/jira_sim/render.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/jira_sim/rich_text.h"
#include "tools/jira_sim/workflow.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr int kChangelogExpandCap = 100;

// `kind` is "useravatar" or "projectavatar".
json AvatarUrls(const View& view, const char* kind, const std::string& id) {
  std::string base =
      absl::StrCat(view.base_url, "/secure/", kind, "?ownerId=", id);
  return {{"48x48", base}, {"24x24", base + "&size=small"},
          {"16x16", base + "&size=xsmall"}, {"32x32", base + "&size=medium"}};
}

json StatusCategoryJson(const View& view, const std::string& key) {
  int id = key == "new" ? 2 : key == "done" ? 3 : 4;
  const char* color = key == "new" ? "blue-gray" : key == "done" ? "green" : "yellow";
  const char* name = key == "new" ? "To Do" : key == "done" ? "Done" : "In Progress";
  return {{"self", view.Api(absl::StrCat("/statuscategory/", id))},
          {"id", id},
          {"key", key},
          {"colorName", color},
          {"name", name}};
}

json SystemField(const char* id, const char* name, const char* type,
                 std::vector<std::string> clauses, bool orderable = true,
                 const char* items = nullptr) {
  json schema = {{"type", type}, {"system", id}};
  if (items != nullptr) schema["items"] = items;
  return {{"id", id},          {"key", id},
          {"name", name},      {"custom", false},
          {"orderable", orderable}, {"navigable", true},
          {"searchable", true}, {"clauseNames", clauses},
          {"schema", schema}};
}

std::string CustomNumber(const std::string& id) {
  return std::string(absl::StripPrefix(id, "customfield_"));
}

}  // namespace

std::string View::Api(const std::string& path) const {
  return absl::StrCat(base_url, "/rest/api/", api_version, path);
}

std::string FormatJiraTime(const View& view, absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%z", t, view.zone);
}

json RichText(const View& view, const std::optional<std::string>& wiki) {
  if (!wiki) return nullptr;
  if (view.api_version == 3) return WikiToAdf(*wiki);
  return *wiki;
}

json UserJson(const View& view, const State& state,
              const std::string& account_id) {
  const User* user = FindUserById(state, account_id);
  return user == nullptr ? json() : UserJson(view, *user);
}

json UserJson(const View& view, const User& account) {
  const User* user = &account;
  json out;
  if (view.dialect == Dialect::kCloud) {
    out = {{"self", view.Api("/user?accountId=" + user->account_id)},
           {"accountId", user->account_id},
           {"accountType", "atlassian"},
           {"emailAddress", user->email}};
  } else {
    out = {{"self", view.Api("/user?username=" + user->name)},
           {"name", user->name},
           {"key", user->key},
           {"emailAddress", user->email}};
  }
  out["avatarUrls"] = AvatarUrls(view, "useravatar", user->account_id);
  out["displayName"] = user->display_name;
  out["active"] = true;
  out["timeZone"] = user->time_zone;
  return out;
}

json MyselfJson(const View& view, const User& user) {
  json out = UserJson(view, user);
  out["locale"] = user.locale;
  out["groups"] = {{"size", 1},
                   {"items", json::array({{{"name", "jira-users"}}})}};
  out["applicationRoles"] = {{"size", 1}, {"items", json::array()}};
  out["expand"] = "groups,applicationRoles";
  return out;
}

json StatusJson(const View& view, const Status& status) {
  return {{"self", view.Api("/status/" + status.id)},
          {"description", status.description},
          {"iconUrl", absl::StrCat(view.base_url, "/images/icons/statuses/generic.png")},
          {"name", status.name},
          {"id", status.id},
          {"statusCategory", StatusCategoryJson(view, status.category_key)}};
}

json PriorityJson(const View& view, const Priority& priority) {
  return {{"self", view.Api("/priority/" + priority.id)},
          {"statusColor", priority.status_color},
          {"description", priority.description},
          {"iconUrl", absl::StrCat(view.base_url, "/images/icons/priorities/",
                                   priority.id, ".svg")},
          {"name", priority.name},
          {"id", priority.id}};
}

json IssueTypeJson(const View& view, const IssueType& type) {
  return {{"self", view.Api("/issuetype/" + type.id)},
          {"id", type.id},
          {"description", type.description},
          {"iconUrl", absl::StrCat(view.base_url, "/images/icons/issuetypes/",
                                   type.id, ".svg")},
          {"name", type.name},
          {"subtask", false}};
}

json ProjectJson(const View& view, const State& state, const Project& project,
                 bool with_issue_types) {
  json out = {{"expand", "description,lead,issueTypes,url,projectKeys"},
              {"self", view.Api("/project/" + project.id)},
              {"id", project.id},
              {"key", project.key},
              {"name", project.name},
              {"projectTypeKey", "software"},
              {"avatarUrls", AvatarUrls(view, "projectavatar", project.id)}};
  if (view.dialect == Dialect::kCloud) out["simplified"] = false;
  if (with_issue_types) {
    json types = json::array();
    for (const std::string& id : project.issue_type_ids) {
      if (const IssueType* t = FindIssueType(state, id)) {
        types.push_back(IssueTypeJson(view, *t));
      }
    }
    out["issueTypes"] = types;
  }
  return out;
}

std::vector<json> FieldsJson(const State& state) {
  std::vector<json> fields = {
      SystemField("issuekey", "Key", "string", {"id", "issue", "issuekey", "key"}, false),
      SystemField("summary", "Summary", "string", {"summary"}),
      SystemField("description", "Description", "string", {"description"}),
      SystemField("issuetype", "Issue Type", "issuetype", {"issuetype", "type"}),
      SystemField("project", "Project", "project", {"project"}, false),
      SystemField("status", "Status", "status", {"status"}, false),
      SystemField("priority", "Priority", "priority", {"priority"}),
      SystemField("labels", "Labels", "array", {"labels"}, true, "string"),
      SystemField("reporter", "Reporter", "user", {"reporter"}),
      SystemField("creator", "Creator", "user", {"creator"}, false),
      SystemField("created", "Created", "datetime", {"created", "createdDate"}, false),
      SystemField("updated", "Updated", "datetime", {"updated", "updatedDate"}, false),
      SystemField("comment", "Comment", "comments-page", {"comment"}),
  };
  for (const FieldDef& f : state.custom_fields) {
    std::string number = CustomNumber(f.id);
    int64_t custom_id = 0;
    (void)absl::SimpleAtoi(number, &custom_id);
    fields.push_back({{"id", f.id},
                      {"key", f.id},
                      {"name", f.name},
                      {"custom", true},
                      {"orderable", true},
                      {"navigable", true},
                      {"searchable", true},
                      {"clauseNames", {absl::StrCat("cf[", number, "]"), f.name}},
                      {"schema", {{"type", f.type == "number" ? "number" : "string"},
                                  {"custom", f.custom_type},
                                  {"customId", custom_id}}}});
  }
  return fields;
}

json CommentJson(const View& view, const State& state, const Issue& issue,
                 const Comment& comment, bool with_properties) {
  std::string id = absl::StrCat(comment.id);
  json out = {{"self", view.Api(absl::StrCat("/issue/", issue.id, "/comment/", id))},
              {"id", id},
              {"author", UserJson(view, state, comment.author_id)},
              {"body", view.api_version == 3 && !comment.adf.is_null()
                           ? comment.adf
                           : RichText(view, comment.body)},
              {"updateAuthor", UserJson(view, state, comment.update_author_id)},
              {"created", FormatJiraTime(view, comment.created)},
              {"updated", FormatJiraTime(view, comment.updated)}};
  if (!comment.visibility.is_null()) out["visibility"] = comment.visibility;
  if (view.dialect == Dialect::kCloud) out["jsdPublic"] = true;
  if (with_properties) {
    json properties = json::array();
    for (const auto& [key, value] : comment.properties) {
      properties.push_back({{"key", key}, {"value", value}});
    }
    out["properties"] = std::move(properties);
  }
  return out;
}

json HistoryJson(const View& view, const State& state,
                 const ChangeHistory& history) {
  json items = json::array();
  for (const ChangeItem& item : history.items) {
    items.push_back({{"field", item.field},
                     {"fieldtype", item.field_type},
                     {"fieldId", item.field_id},
                     {"from", item.from},
                     {"fromString", item.from_string},
                     {"to", item.to},
                     {"toString", item.to_string}});
  }
  json out = {{"id", absl::StrCat(history.id)},
              {"created", FormatJiraTime(view, history.created)},
              {"items", items}};
  json author = UserJson(view, state, history.author_id);
  if (!author.is_null()) out["author"] = author;
  if (!history.history_metadata.is_null()) {
    out["historyMetadata"] = history.history_metadata;
  }
  return out;
}

json ResolutionJson(const View& view, const Resolution& resolution) {
  return {{"self", view.Api("/resolution/" + resolution.id)},
          {"id", resolution.id},
          {"description", resolution.description},
          {"name", resolution.name}};
}

namespace {

// One field of a transition screen, as expand=transitions.fields shows it.
json ScreenFieldJson(const View& view, const State& state,
                     const TransitionField& field) {
  json meta = {{"required", field.required},
               {"key", field.field_id},
               {"fieldId", field.field_id},
               {"hasDefaultValue", false},
               {"operations", json::array({"set"})}};
  if (field.field_id == "resolution") {
    meta["name"] = "Resolution";
    meta["schema"] = {{"type", "resolution"}, {"system", "resolution"}};
    json values = json::array();
    for (const Resolution& r : state.resolutions) {
      values.push_back(ResolutionJson(view, r));
    }
    meta["allowedValues"] = values;
    return meta;
  }
  for (const json& known : FieldsJson(state)) {
    if (known["id"] != field.field_id) continue;
    meta["name"] = known["name"];
    meta["schema"] = known["schema"];
  }
  return meta;
}

}  // namespace

json TransitionJson(const View& view, const State& state,
                    const Transition& transition, bool with_fields) {
  json to = nullptr;
  if (const Status* status = FindStatus(state, transition.to_status_id)) {
    to = StatusJson(view, *status);
  }
  json out = {{"id", transition.id},
              {"name", transition.name},
              {"to", to},
              {"hasScreen", !transition.fields.empty()},
              {"isGlobal", transition.from_status_ids.empty()},
              {"isInitial", false},
              {"isAvailable", true},
              {"isConditional", false},
              {"isLooped", false}};
  if (with_fields) {
    json fields = json::object();
    for (const TransitionField& f : transition.fields) {
      fields[f.field_id] = ScreenFieldJson(view, state, f);
    }
    out["fields"] = fields;
  }
  return out;
}

FieldSelection::FieldSelection(const std::string& spec,
                               const std::string& default_spec) {
  const std::string& used = spec.empty() ? default_spec : spec;
  for (absl::string_view part : absl::StrSplit(used, ',', absl::SkipEmpty())) {
    std::string name(absl::StripAsciiWhitespace(part));
    if (name == "*all") {
      all_ = true;
    } else if (name == "*navigable") {
      navigable_ = true;
    } else if (!name.empty() && name[0] == '-') {
      excluded_.insert(name.substr(1));
    } else {
      included_.insert(name);
    }
  }
}

bool FieldSelection::Includes(const std::string& field_id,
                              bool navigable) const {
  if (excluded_.count(field_id) > 0) return false;
  return all_ || (navigable_ && navigable) || included_.count(field_id) > 0;
}

bool FieldSelection::IdOnly() const {
  return !all_ && !navigable_ &&
         std::all_of(included_.begin(), included_.end(),
                     [](const std::string& f) { return f == "id"; });
}

json IssueJson(const View& view, const State& state, const Issue& issue,
               const FieldSelection& fields, const IssueExtras& extras) {
  std::string id = absl::StrCat(issue.id);
  json out = {{"expand",
               "renderedFields,names,schema,operations,editmeta,changelog,"
               "versionedRepresentations"},
              {"id", id},
              {"self", view.Api("/issue/" + id)},
              {"key", issue.key}};
  if (fields.IdOnly() && extras.properties.empty() && !extras.changelog) {
    return {{"id", id}};
  }
  json f = json::object();
  auto put = [&](const std::string& name, bool navigable, auto value) {
    if (fields.Includes(name, navigable)) f[name] = value();
  };
  put("summary", true, [&] { return json(issue.summary); });
  put("description", true, [&] { return RichText(view, issue.description); });
  put("status", true, [&] {
    const Status* s = FindStatus(state, issue.status_id);
    return s == nullptr ? json() : StatusJson(view, *s);
  });
  put("priority", true, [&] {
    const Priority* p = FindPriority(state, issue.priority_id);
    return issue.priority_id.empty() || p == nullptr ? json()
                                                     : PriorityJson(view, *p);
  });
  put("issuetype", true, [&] {
    const IssueType* t = FindIssueType(state, issue.issue_type_id);
    return t == nullptr ? json() : IssueTypeJson(view, *t);
  });
  put("project", true, [&] {
    const Project* p = FindProject(state, issue.project_id);
    return p == nullptr ? json() : ProjectJson(view, state, *p, false);
  });
  put("labels", true, [&] { return json(issue.labels); });
  put("reporter", true, [&] { return UserJson(view, state, issue.reporter_id); });
  put("creator", true, [&] { return UserJson(view, state, issue.creator_id); });
  put("assignee", true, [&] { return json(); });
  put("resolution", true, [&] {
    const Resolution* r = FindResolution(state, issue.resolution_id);
    return issue.resolution_id.empty() || r == nullptr ? json()
                                                       : ResolutionJson(view, *r);
  });
  put("created", true, [&] { return json(FormatJiraTime(view, issue.created)); });
  put("updated", true, [&] { return json(FormatJiraTime(view, issue.updated)); });
  put("statuscategorychangedate", true, [&] {
    return json(FormatJiraTime(view, issue.status_category_changed));
  });
  put("comment", false, [&] {
    json comments = json::array();
    for (const Comment& c : issue.comments) {
      comments.push_back(CommentJson(view, state, issue, c));
    }
    return json({{"comments", comments},
                 {"self", view.Api("/issue/" + id + "/comment")},
                 {"maxResults", comments.size()},
                 {"total", comments.size()},
                 {"startAt", 0}});
  });
  for (const FieldDef& def : state.custom_fields) {
    put(def.id, true, [&]() -> json {
      auto it = issue.custom_fields.find(def.id);
      if (it == issue.custom_fields.end()) return nullptr;
      if (def.rich_text && it->second.is_string()) {
        return RichText(view, it->second.get<std::string>());
      }
      return it->second;
    });
  }
  out["fields"] = f;
  if (!extras.properties.empty()) {
    json properties = json::object();
    for (const auto& [key, value] : issue.properties) {
      bool wanted = std::find(extras.properties.begin(), extras.properties.end(),
                              "*all") != extras.properties.end() ||
                    std::find(extras.properties.begin(), extras.properties.end(),
                              key) != extras.properties.end();
      if (wanted) properties[key] = value;
    }
    out["properties"] = properties;
  }
  if (extras.changelog) {
    json histories = json::array();
    int total = static_cast<int>(issue.changelog.size());
    const int cap = extras.changelog_complete ? total : kChangelogExpandCap;
    // The newest `cap` entries: newest first on Cloud, oldest first on Data
    // Center.
    for (int i = std::max(0, total - cap); i < total; ++i) {
      histories.push_back(HistoryJson(view, state, issue.changelog[i]));
    }
    if (view.dialect == Dialect::kCloud) {
      std::reverse(histories.begin(), histories.end());
    }
    out["changelog"] = {{"startAt", 0},
                        {"maxResults", histories.size()},
                        {"total", total},
                        {"histories", histories}};
  }
  if (extras.transitions && extras.caller != nullptr) {
    json transitions = json::array();
    for (const Transition* t : AvailableTransitions(state, *extras.caller, issue)) {
      transitions.push_back(
          TransitionJson(view, state, *t, extras.transition_fields));
    }
    out["transitions"] = transitions;
  }
  return out;
}

}  // namespace ferry::jira_sim
