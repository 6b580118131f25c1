// serverInfo, myself, mypermissions and the catalog resources (fields, priorities,
// statuses, issue types, projects, create metadata).
#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/jira_sim/handlers.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr char kIdOrKey[] = "([^/]+)";

json ServerInfo(const View& view, const State& state, absl::Time now) {
  bool cloud = view.dialect == Dialect::kCloud;
  json info = {
      {"baseUrl", view.base_url},
      {"version", cloud ? "1001.0.0-SNAPSHOT" : "9.12.0"},
      {"versionNumbers", cloud ? json({1001, 0, 0}) : json({9, 12, 0})},
      {"deploymentType", cloud ? "Cloud" : "Server"},
      {"buildNumber", cloud ? 100265 : 9120000},
      {"buildDate", FormatJiraTime(view, absl::FromUnixSeconds(1700000000))},
      {"serverTime", FormatJiraTime(view, now)},
      {"scmInfo", "ferry-jira-sim"},
      {"serverTitle", state.server_title},
      {"serverTimeZone", state.server_time_zone}};
  if (cloud) {
    info["defaultLocale"] = {{"locale", "en_US"}};
    info["displayUrl"] = view.base_url;
  }
  return info;
}

json FieldMeta(const View& view, const State& state, const std::string& id) {
  for (json field : FieldsJson(state)) {
    if (field["id"] != id) continue;
    json meta = {{"required", id == "summary" || id == "project" ||
                                  id == "issuetype"},
                 {"schema", field["schema"]},
                 {"name", field["name"]},
                 {"key", id},
                 {"fieldId", id},
                 {"hasDefaultValue", false},
                 {"operations", id == "labels" ? json({"add", "set", "remove"})
                                               : json({"set"})}};
    if (id == "priority") {
      json values = json::array();
      for (const Priority& p : state.priorities) {
        values.push_back(PriorityJson(view, p));
      }
      meta["allowedValues"] = values;
    }
    return meta;
  }
  return nullptr;
}

std::vector<std::string> CreateFields(const Project& project) {
  std::vector<std::string> ids = {"project", "issuetype", "summary"};
  for (const std::string& id : project.screen_field_ids) {
    if (id != "summary") ids.push_back(id);
  }
  return ids;
}

const Project* ProjectArg(const State& state, const Call& call, size_t i) {
  return FindProject(state, call.args[i]);
}

Reply ProjectNotFound(const std::string& key) {
  return Reply::Error(absl::NotFoundError(absl::StrCat(
      "No project could be found with key '", key, "'.")));
}

// GET /mypermissions: the caller's permissions, per-user in the simulator
// (see README, Simplifications), for the keys asked in `permissions`.
Reply MyPermissions(const State& state, const Call& call) {
  const std::string project = call.Param("projectKey");
  if (!project.empty() && FindProject(state, project) == nullptr) {
    return ProjectNotFound(project);
  }
  const std::string wanted = call.Param("permissions");
  if (wanted.empty()) {
    return Reply::Error(absl::InvalidArgumentError(
        "The 'permissions' query parameter is required, e.g. "
        "permissions=BROWSE_PROJECTS,CREATE_ISSUES."));
  }
  const Permissions& p = call.caller.permissions;
  const std::map<std::string, bool> known = {
      {"BROWSE_PROJECTS", p.browse},     {"CREATE_ISSUES", p.create},
      {"EDIT_ISSUES", p.edit},           {"TRANSITION_ISSUES", p.transition},
      {"ADD_COMMENTS", p.comment}};
  json permissions = json::object();
  for (absl::string_view key : absl::StrSplit(wanted, ',', absl::SkipEmpty())) {
    auto it = known.find(std::string(key));
    if (it == known.end()) {
      return Reply::Error(absl::InvalidArgumentError(absl::StrCat(
          "Permission '", key, "' is unknown to the simulator; ask for "
          "BROWSE_PROJECTS, CREATE_ISSUES, EDIT_ISSUES, TRANSITION_ISSUES or "
          "ADD_COMMENTS.")));
    }
    permissions[it->first] = {{"key", it->first},
                              {"type", "PROJECT"},
                              {"havePermission", it->second}};
  }
  return Reply::Json(200, {{"permissions", permissions}});
}

Reply ListOf(const std::vector<json>& items) { return Reply::Json(200, items); }

}  // namespace

void RegisterMetaRoutes(Router& router, HandlerEnv& env) {
  Store& store = *env.store;
  router.Add("GET", "/serverInfo", [&store](const Call& call) {
    return store.Read([&](const State& s) {
      return Reply::Json(200, ServerInfo(call.view, s, call.now));
    });
  });
  router.Add("GET", "/myself", [](const Call& call) {
    return Reply::Json(200, MyselfJson(call.view, call.caller));
  });
  router.Add("GET", "/mypermissions", [&store](const Call& call) {
    return store.Read([&](const State& s) { return MyPermissions(s, call); });
  });
  // Users by accountId (Cloud) or by username/key (Data Center).
  router.Add("GET", "/user", [&store](const Call& call) {
    bool cloud = call.view.dialect == Dialect::kCloud;
    std::string wanted = cloud ? call.Param("accountId")
                               : call.HasParam("key") ? call.Param("key")
                                                      : call.Param("username");
    return store.Read([&](const State& s) {
      for (const User& user : s.users) {
        bool match = cloud ? user.account_id == wanted
                           : user.name == wanted || user.key == wanted;
        if (match && !wanted.empty()) return Reply::Json(200, UserJson(call.view, user));
      }
      return Reply::Error(absl::NotFoundError(
          cloud ? "Specified user does not exist or you do not have required "
                  "permissions"
                : absl::StrCat("The user named '", wanted, "' does not exist")));
    });
  });
  router.Add("GET", "/field", [&store](const Call&) {
    return store.Read([](const State& s) { return ListOf(FieldsJson(s)); });
  });
  router.Add("GET", "/priority", [&store](const Call& call) {
    return store.Read([&](const State& s) {
      std::vector<json> out;
      for (const Priority& p : s.priorities) out.push_back(PriorityJson(call.view, p));
      return ListOf(out);
    });
  });
  router.Add("GET", std::string("/priority/") + kIdOrKey, [&store](const Call& call) {
    return store.Read([&](const State& s) {
      const Priority* p = FindPriority(s, call.args[0]);
      if (p == nullptr) {
        return Reply::Error(absl::NotFoundError(
            absl::StrCat("Cannot find priority with id '", call.args[0], "'.")));
      }
      return Reply::Json(200, PriorityJson(call.view, *p));
    });
  });
  router.Add("GET", "/status", [&store](const Call& call) {
    return store.Read([&](const State& s) {
      std::vector<json> out;
      for (const Status& st : s.statuses) out.push_back(StatusJson(call.view, st));
      return ListOf(out);
    });
  });
  router.Add("GET", std::string("/status/") + kIdOrKey, [&store](const Call& call) {
    return store.Read([&](const State& s) {
      const Status* st = FindStatus(s, call.args[0]);
      if (st == nullptr) {
        return Reply::Error(absl::NotFoundError(absl::StrCat(
            "The status with id '", call.args[0], "' does not exist")));
      }
      return Reply::Json(200, StatusJson(call.view, *st));
    });
  });
  router.Add("GET", "/issuetype", [&store](const Call& call) {
    return store.Read([&](const State& s) {
      std::vector<json> out;
      for (const IssueType& t : s.issue_types) out.push_back(IssueTypeJson(call.view, t));
      return ListOf(out);
    });
  });
  router.Add("GET", std::string("/issuetype/") + kIdOrKey, [&store](const Call& call) {
    return store.Read([&](const State& s) {
      const IssueType* t = FindIssueType(s, call.args[0]);
      if (t == nullptr) {
        return Reply::Error(absl::NotFoundError(
            absl::StrCat("Issue type with ID '", call.args[0], "' does not exist.")));
      }
      return Reply::Json(200, IssueTypeJson(call.view, *t));
    });
  });
  router.Add("GET", "/project", [&store](const Call& call) {
    bool types = call.Param("expand").find("issueTypes") != std::string::npos;
    return store.Read([&](const State& s) {
      std::vector<json> out;
      for (const Project& p : s.projects) {
        out.push_back(ProjectJson(call.view, s, p, types));
      }
      return ListOf(out);
    });
  });
  router.Add("GET", "/project/search", [&store](const Call& call) {
    absl::StatusOr<int> start = call.IntParam("startAt", 0);
    absl::StatusOr<int> max = call.IntParam("maxResults", 50);
    if (!start.ok()) return Reply::Error(start.status());
    if (!max.ok()) return Reply::Error(max.status());
    return store.Read([&](const State& s) {
      json values = json::array();
      int total = static_cast<int>(s.projects.size());
      for (int i = *start; i < total && i < *start + *max; ++i) {
        values.push_back(ProjectJson(call.view, s, s.projects[i], false));
      }
      return Reply::Json(200, {{"self", call.view.Api("/project/search")},
                               {"maxResults", *max},
                               {"startAt", *start},
                               {"total", total},
                               {"isLast", *start + *max >= total},
                               {"values", values}});
    });
  });
  router.Add("GET", std::string("/project/") + kIdOrKey, [&store](const Call& call) {
    return store.Read([&](const State& s) {
      const Project* p = ProjectArg(s, call, 0);
      if (p == nullptr) return ProjectNotFound(call.args[0]);
      return Reply::Json(200, ProjectJson(call.view, s, *p, true));
    });
  });
  router.Add("GET", std::string("/project/") + kIdOrKey + "/statuses",
             [&store](const Call& call) {
    return store.Read([&](const State& s) {
      const Project* p = ProjectArg(s, call, 0);
      if (p == nullptr) return ProjectNotFound(call.args[0]);
      std::vector<json> out;
      for (const std::string& type_id : p->issue_type_ids) {
        Issue probe;
        probe.project_id = p->id;
        probe.issue_type_id = type_id;
        const Workflow* workflow = WorkflowFor(s, probe);
        json statuses = json::array();
        std::vector<std::string> seen;
        auto add = [&](const std::string& id) {
          if (std::find(seen.begin(), seen.end(), id) != seen.end()) return;
          seen.push_back(id);
          if (const Status* st = FindStatus(s, id)) {
            statuses.push_back(StatusJson(call.view, *st));
          }
        };
        add(workflow->initial_status_id);
        for (const Transition& t : workflow->transitions) add(t.to_status_id);
        const IssueType* type = FindIssueType(s, type_id);
        out.push_back({{"self", call.view.Api("/issuetype/" + type_id)},
                       {"id", type_id},
                       {"name", type == nullptr ? "" : type->name},
                       {"subtask", false},
                       {"statuses", statuses}});
      }
      return ListOf(out);
    });
  });
  // Create metadata, old form: ?projectKeys=A,B&expand=projects.issuetypes.fields
  router.Add("GET", "/issue/createmeta", [&store](const Call& call) {
    std::string keys = call.Param("projectKeys") + "," + call.Param("projectIds");
    bool with_fields = call.Param("expand").find("fields") != std::string::npos;
    return store.Read([&](const State& s) {
      json projects = json::array();
      std::vector<std::string> wanted = absl::StrSplit(keys, ',', absl::SkipEmpty());
      for (const Project& p : s.projects) {
        bool listed = wanted.empty();
        for (const std::string& w : wanted) listed = listed || FindProject(s, w) == &p;
        if (!listed) continue;
        json project = ProjectJson(call.view, s, p, false);
        json types = json::array();
        for (const std::string& type_id : p.issue_type_ids) {
          const IssueType* t = FindIssueType(s, type_id);
          if (t == nullptr) continue;
          json type = IssueTypeJson(call.view, *t);
          if (with_fields) {
            json fields = json::object();
            for (const std::string& id : CreateFields(p)) {
              json meta = FieldMeta(call.view, s, id);
              if (!meta.is_null()) fields[id] = meta;
            }
            type["fields"] = fields;
          }
          types.push_back(type);
        }
        project["issuetypes"] = types;
        projects.push_back(project);
      }
      return Reply::Json(200, {{"expand", "projects"}, {"projects", projects}});
    });
  });
  router.Add("GET", std::string("/issue/createmeta/") + kIdOrKey + "/issuetypes",
             [&store](const Call& call) {
    return store.Read([&](const State& s) {
      const Project* p = ProjectArg(s, call, 0);
      if (p == nullptr) return ProjectNotFound(call.args[0]);
      json types = json::array();
      for (const std::string& id : p->issue_type_ids) {
        if (const IssueType* t = FindIssueType(s, id)) {
          types.push_back(IssueTypeJson(call.view, *t));
        }
      }
      const char* list = call.view.dialect == Dialect::kCloud ? "issueTypes" : "values";
      return Reply::Json(200, {{"maxResults", 50},
                               {"startAt", 0},
                               {"total", types.size()},
                               {"isLast", true},
                               {list, types}});
    });
  });
  router.Add("GET",
             std::string("/issue/createmeta/") + kIdOrKey + "/issuetypes/" + kIdOrKey,
             [&store](const Call& call) {
    return store.Read([&](const State& s) {
      const Project* p = ProjectArg(s, call, 0);
      if (p == nullptr) return ProjectNotFound(call.args[0]);
      const IssueType* type = FindIssueType(s, call.args[1]);
      if (type == nullptr ||
          std::find(p->issue_type_ids.begin(), p->issue_type_ids.end(),
                    type->id) == p->issue_type_ids.end()) {
        return Reply::Error(absl::NotFoundError(absl::StrCat(
            "Issue type '", call.args[1], "' is not in project ", p->key, ".")));
      }
      json fields = json::array();
      for (const std::string& id : CreateFields(*p)) {
        json meta = FieldMeta(call.view, s, id);
        if (!meta.is_null()) fields.push_back(meta);
      }
      const char* list = call.view.dialect == Dialect::kCloud ? "fields" : "values";
      return Reply::Json(200, {{"maxResults", 50},
                               {"startAt", 0},
                               {"total", fields.size()},
                               {"isLast", true},
                               {list, fields}});
    });
  });
}

}  // namespace ferry::jira_sim
