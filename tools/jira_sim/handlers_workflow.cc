// Workflows as Jira Cloud shows them to administrators: GET /workflow/search.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/jira_sim/handlers.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr int kWorkflowPageDefault = 50;

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
    std::vector<std::string> seen;
    auto add = [&](const std::string& id) {
      for (const std::string& s : seen) if (s == id) return;
      seen.push_back(id);
      if (const Status* status = FindStatus(state, id)) {
        statuses.push_back({{"id", status->id}, {"name", status->name}});
      }
    };
    add(workflow.initial_status_id);
    for (const Transition& t : workflow.transitions) add(t.to_status_id);
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
  });
}

}  // namespace ferry::jira_sim
