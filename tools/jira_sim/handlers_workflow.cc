// Workflows as Jira shows them to administrators: Cloud's GET
// /workflow/search (the graph: transitions, statuses, screens); Data
// Center's GET /workflow (names and step counts only: Data Center's REST API
// has no transition graph, and Cloud removed this resource on 1 February
// 2026).
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/jira_sim/handlers.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr int kWorkflowPageDefault = 50;

// The statuses `workflow` can put an issue in, initial status first.
std::vector<std::string> StatusIdsOf(const Workflow& workflow) {
  std::vector<std::string> ids = {workflow.initial_status_id};
  for (const Transition& t : workflow.transitions) {
    if (std::find(ids.begin(), ids.end(), t.to_status_id) == ids.end()) {
      ids.push_back(t.to_status_id);
    }
  }
  return ids;
}

// One workflow as Data Center's GET /workflow lists it ("jira" is the name
// of Jira's own default workflow).
json DeprecatedWorkflowJson(const std::string& name, const Workflow& workflow) {
  return {{"name", name},
          {"description", ""},
          {"lastModifiedDate", "01/Jan/24 12:00 AM"},
          {"lastModifiedUser", "admin"},
          {"steps", StatusIdsOf(workflow).size()},
          {"default", name == "jira"}};
}

// One workflow of a PageBeanWorkflow, with what `expand` asks for.
json WorkflowJson(const State& state, const Workflow& workflow,
                  const std::string& expand) {
  json out = {{"id", {{"name", workflow.name}, {"entityId", "sim-" + workflow.name}}},
              {"description", ""}};
  if (absl::StrContains(expand, "transitions")) {
    json transitions = json::array();
    for (const Transition& t : workflow.transitions) {
      json transition = {{"id", t.id},
                         {"name", t.name},
                         {"description", ""},
                         {"from", t.from_status_ids},
                         {"to", t.to_status_id},
                         {"type", t.from_status_ids.empty() ? "global" : "directed"}};
      if (!t.fields.empty()) {
        transition["screen"] = {{"id", "sim-" + t.id}, {"name", t.name + " screen"}};
      }
      transitions.push_back(transition);
    }
    out["transitions"] = transitions;
  }
  if (absl::StrContains(expand, "statuses")) {
    json statuses = json::array();
    for (const std::string& id : StatusIdsOf(workflow)) {
      if (const Status* status = FindStatus(state, id)) {
        statuses.push_back({{"id", status->id}, {"name", status->name}});
      }
    }
    out["statuses"] = statuses;
  }
  return out;
}

}  // namespace

void RegisterWorkflowRoutes(Router& router, HandlerEnv& env) {
  Store& store = *env.store;
  router.Add("GET", "/workflow/search", [&store](const Call& call) {
    if (call.view.dialect != Dialect::kCloud) {
      return Reply::Error(absl::NotFoundError(
          "No REST resource answers GET /workflow/search in Jira Data Center."));
    }
    if (!call.caller.permissions.admin) {
      return Reply::Error(absl::PermissionDeniedError(
          "Only Jira administrators can access workflows."));
    }
    absl::StatusOr<int> start = call.IntParam("startAt", 0);
    absl::StatusOr<int> max = call.IntParam("maxResults", kWorkflowPageDefault);
    if (!start.ok()) return Reply::Error(start.status());
    if (!max.ok()) return Reply::Error(max.status());
    const std::string name = call.Param("workflowName");
    const std::string expand = call.Param("expand");
    return store.Read([&](const State& s) {
      std::vector<json> all;
      for (const auto& [workflow_name, workflow] : s.workflows) {
        if (name.empty() || workflow_name == name) {
          all.push_back(WorkflowJson(s, workflow, expand));
        }
      }
      const int total = static_cast<int>(all.size());
      json values = json::array();
      for (int i = std::max(0, *start); i < total && i < *start + *max; ++i) {
        values.push_back(all[i]);
      }
      return Reply::Json(200, {{"isLast", *start + *max >= total},
                               {"maxResults", *max},
                               {"startAt", *start},
                               {"total", total},
                               {"values", values}});
    });
  });  router.Add("GET", "/workflow", [&store](const Call& call) {
    if (call.view.dialect != Dialect::kDataCenter) {
      return Reply::Error(absl::NotFoundError(
          "No REST resource answers GET /workflow in Jira Cloud since 1 February 2026; "
          "use GET /workflow/search."));
    }
    // Data Center answers 401 to a user without the Administer Jira
    // permission, as its REST documentation says.
    if (!call.caller.permissions.admin) {
      return Reply::Error(absl::UnauthenticatedError(
          "You are not authorized to perform this operation. Please log in as an "
          "administrator."));
    }
    const std::string name = call.Param("workflowName");
    return store.Read([&](const State& s) {
      json all = json::array();
      for (const auto& [workflow_name, workflow] : s.workflows) {
        const json one = DeprecatedWorkflowJson(workflow_name, workflow);
        // With workflowName, the workflow itself, not a list.
        if (workflow_name == name) return Reply::Json(200, one);
        all.push_back(one);
      }
      if (!name.empty()) {
        return Reply::Error(absl::NotFoundError(
            absl::StrCat("The workflow '", name, "' does not exist.")));
      }
      return Reply::Json(200, all);
    });
  });
}

}  // namespace ferry::jira_sim
