// GET /incidents/{id}/alerts, PUT /incidents/{id}/merge and
// POST /services/{id}/integrations (PagerDuty REST API reference: List alerts
// for an incident, Merge incidents, Create a new integration).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/alert_ops.h"
#include "tools/pagerduty_sim/auth.h"
#include "tools/pagerduty_sim/handlers.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/query.h"
#include "tools/pagerduty_sim/state_lookup.h"

namespace ferry::pagerduty_sim {
namespace {

// statuses[] (triggered, resolved) and alert_key filter the incident's
// alerts, oldest first.
absl::Status ListAlerts(Call& call) {
  auto incident = VisibleIncident(call, call.req.matches[1]);
  if (!incident.ok()) return incident.status();
  auto page = ParsePage(call.req);
  if (!page.ok()) return page.status();
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  const auto statuses = ArrayParam(call.req, "statuses[]");
  for (const std::string& status : statuses) {
    if (status != "triggered" && status != "resolved") {
      return InvalidInput("statuses[] must be triggered or resolved");
    }
  }
  const bool by_key = call.req.has_param("alert_key");
  std::vector<const Alert*> found;
  for (const std::string& id : (*incident)->alert_ids) {
    const Alert& alert = call.state.alerts.at(id);
    if (!statuses.empty() &&
        std::find(statuses.begin(), statuses.end(), alert.status) == statuses.end()) {
      continue;
    }
    if (by_key && alert.alert_key != call.req.get_param_value("alert_key")) continue;
    found.push_back(&alert);
  }
  nlohmann::json body = PagedJson("alerts", *page, found.size(), [&](size_t i) {
    return AlertJson(*ctx, *found[i]);
  });
  WritePdJson(call.res, 200, body.dump());
  return absl::OkStatus();
}

absl::Status Merge(Call& call) {
  auto target = VisibleIncident(call, call.req.matches[1]);
  if (!target.ok()) return target.status();
  auto body = JsonBody(call.req);
  if (!body.ok()) return body.status();
  const nlohmann::json refs = body->value("source_incidents", nlohmann::json());
  if (!refs.is_array()) {
    return InvalidInput(
        "The body must be {\"source_incidents\": [{\"id\", \"type\": "
        "\"incident_reference\"}]}");
  }
  std::vector<Incident*> sources;
  for (const nlohmann::json& ref : refs) {
    const std::string id = ref.is_object() ? ref.value("id", "") : "";
    auto source = VisibleIncident(call, id);
    if (!source.ok()) return source.status();
    if (auto ok = RequireWrite(call.state, call.who, (*source)->service_id); !ok.ok()) {
      return ok;
    }
    sources.push_back(*source);
  }
  if (auto ok = RequireWrite(call.state, call.who, (*target)->service_id); !ok.ok()) {
    return ok;
  }
  if (auto ok = MergeIncidents(call.state, **target, sources, call.actor); !ok.ok()) {
    return ok;
  }
  // The answer is a reference to the target (PagerDuty REST API reference:
  // Merge incidents).
  const RenderContext ctx = PlainRender(call.state);
  WritePdJson(call.res, 200,
              nlohmann::json{{"incident", IncidentRefJson(ctx, **target)}}.dump());
  return absl::OkStatus();
}

// Only Events API v2 integrations; managing them takes the manager role on
// the service.
absl::Status CreateIntegration(Call& call) {
  auto it = call.state.services.find(call.req.matches[1]);
  if (it == call.state.services.end() || !CanRead(call.state, call.who, it->first)) {
    return NotFound(absl::StrCat("Service \"", std::string(call.req.matches[1]),
                                 "\" not found"));
  }
  Service& service = it->second;
  if (ServiceAccess(call.state, call.who, service.id) != Access::kManager) {
    return AccessDenied(absl::StrCat("Managing the integrations of service ", service.id,
                                     " takes the manager role on it"));
  }
  auto body = JsonBody(call.req);
  if (!body.ok()) return body.status();
  const nlohmann::json integration = body->value("integration", nlohmann::json());
  if (!integration.is_object() ||
      integration.value("type", "") != "events_api_v2_inbound_integration") {
    return InvalidInput(
        "integration.type must be \"events_api_v2_inbound_integration\" (the only "
        "integration type this simulator has)");
  }
  const std::string name = integration.value("name", "Events API V2");
  const Integration& created = AddIntegration(call.state, service, name, call.actor.now);
  const RenderContext ctx = PlainRender(call.state);
  WritePdJson(call.res, 201,
              nlohmann::json{{"integration", IntegrationJson(ctx, service.id, created, true)}}
                  .dump());
  return absl::OkStatus();
}

}  // namespace

void RegisterAlertRoutes(Router& router) {
  router.Add("GET", R"(/incidents/([^/]+)/alerts)", RouteKind::kRead, ListAlerts);
  router.Add("PUT", R"(/incidents/([^/]+)/merge)", RouteKind::kWrite, Merge);
  router.Add("POST", R"(/services/([^/]+)/integrations)", RouteKind::kWrite,
             CreateIntegration);
}

}  // namespace ferry::pagerduty_sim
