// GET/POST/PUT /incidents and GET/PUT /incidents/{id}.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/pagerduty_sim/handlers.h"
#include "tools/pagerduty_sim/incident_ops.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/query.h"
#include "tools/pagerduty_sim/state_lookup.h"
#include "tools/pagerduty_sim/time_window.h"

namespace ferry::pagerduty_sim {
namespace {

constexpr size_t kMaxBulkIncidents = 250;

struct SortKey {
  std::string field;
  bool descending = false;
};

// sort_by=field[:asc|:desc][,field...] with at most two fields.
absl::StatusOr<std::vector<SortKey>> ParseSort(const httplib::Request& req) {
  std::vector<SortKey> keys;
  if (!req.has_param("sort_by")) return keys;
  for (absl::string_view part :
       absl::StrSplit(req.get_param_value("sort_by"), ',', absl::SkipEmpty())) {
    std::vector<std::string> pieces = absl::StrSplit(part, ':');
    SortKey key{pieces[0], false};
    const bool known = key.field == "incident_number" || key.field == "created_at" ||
                       key.field == "resolved_at" || key.field == "urgency";
    const bool direction_ok =
        pieces.size() == 1 ||
        (pieces.size() == 2 && (pieces[1] == "asc" || pieces[1] == "desc"));
    if (!known || !direction_ok) {
      return InvalidInput(absl::StrCat(
          "sort_by \"", std::string(part),
          "\" is invalid; use incident_number, created_at, resolved_at or "
          "urgency, optionally with :asc or :desc"));
    }
    key.descending = pieces.size() == 2 && pieces[1] == "desc";
    keys.push_back(key);
  }
  if (keys.size() > 2) return InvalidInput("sort_by accepts at most 2 fields");
  return keys;
}

// -1, 0, 1 comparing two incidents on one field (ascending).
int Compare(const Incident& a, const Incident& b, const std::string& field) {
  auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (field == "incident_number") return cmp(a.number, b.number);
  if (field == "created_at") return cmp(a.created_at, b.created_at);
  if (field == "urgency") return cmp(a.urgency == "high" ? 1 : 0, b.urgency == "high" ? 1 : 0);
  const absl::Time never = absl::InfiniteFuture();
  return cmp(a.resolved_at.value_or(never), b.resolved_at.value_or(never));
}

absl::Status CheckValues(const std::vector<std::string>& values,
                         const std::set<std::string>& allowed,
                         const std::string& message) {
  for (const std::string& value : values) {
    if (allowed.count(value) == 0) return InvalidInput(message);
  }
  return absl::OkStatus();
}

bool AnyOf(const std::vector<std::string>& wanted, const std::string& value) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), value) != wanted.end();
}

absl::Status ListIncidents(Call& call) {
  auto page = ParsePage(call.req);
  if (!page.ok()) return page.status();
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  auto window = IncidentWindow(call.req, NaiveZone(call, *ctx), call.actor.now);
  if (!window.ok()) return window.status();
  auto sort = ParseSort(call.req);
  if (!sort.ok()) return sort.status();

  const auto statuses = ArrayParam(call.req, "statuses[]");
  if (auto ok = CheckValues(statuses, {"triggered", "acknowledged", "resolved"},
                            "Status must be a list of triggered, acknowledged, or resolved.");
      !ok.ok()) {
    return ok;
  }
  const auto urgencies = ArrayParam(call.req, "urgencies[]");
  if (!urgencies.empty()) {
    if (auto ok = RequireAbility(call.state, "urgencies"); !ok.ok()) return ok;
  }
  if (auto ok = CheckValues(urgencies, {"high", "low"}, "Urgencies must be high or low.");
      !ok.ok()) {
    return ok;
  }
  const auto service_ids = ArrayParam(call.req, "service_ids[]");
  const auto team_ids = ArrayParam(call.req, "team_ids[]");
  if (!team_ids.empty()) {
    if (auto ok = RequireAbility(call.state, "teams"); !ok.ok()) return ok;
  }
  const auto user_ids = ArrayParam(call.req, "user_ids[]");
  const auto priority_ids = ArrayParam(call.req, "priority_ids[]");
  const bool by_key = call.req.has_param("incident_key");
  const std::string key = call.req.get_param_value("incident_key");

  std::vector<const Incident*> found;
  for (const Incident& incident : call.state.incidents) {
    if (!window->Contains(incident.created_at)) continue;
    if (!AnyOf(statuses, incident.status) || !AnyOf(urgencies, incident.urgency) ||
        !AnyOf(service_ids, incident.service_id) ||
        !AnyOf(priority_ids, incident.priority_id)) {
      continue;
    }
    if (by_key && incident.incident_key != key &&
        std::none_of(incident.alert_ids.begin(), incident.alert_ids.end(),
                     [&](const std::string& id) {
                       return call.state.alerts.at(id).alert_key == key;
                     })) {
      continue;  // the key is the incident's or one of its alerts'
    }
    if (!team_ids.empty()) {
      const Service* service = FindService(call.state, incident.service_id);
      if (service == nullptr ||
          std::none_of(service->team_ids.begin(), service->team_ids.end(),
                       [&](const std::string& t) { return AnyOf(team_ids, t); })) {
        continue;
      }
    }
    if (!user_ids.empty()) {
      // Only open incidents currently assigned to one of the users.
      if (incident.status == "resolved" ||
          std::none_of(incident.assignments.begin(), incident.assignments.end(),
                       [&](const Assignment& a) { return AnyOf(user_ids, a.user_id); })) {
        continue;
      }
    }
    if (!CanRead(call.state, call.who, incident.service_id)) continue;
    found.push_back(&incident);
  }
  std::vector<SortKey> keys = *sort;
  keys.push_back({"created_at", false});
  keys.push_back({"incident_number", false});
  std::stable_sort(found.begin(), found.end(), [&](const Incident* a, const Incident* b) {
    for (const SortKey& k : keys) {
      const int c = Compare(*a, *b, k.field);
      if (c != 0) return k.descending ? c > 0 : c < 0;
    }
    return false;
  });
  nlohmann::json body = PagedJson("incidents", *page, found.size(), [&](size_t i) {
    return IncidentJson(*ctx, *found[i]);
  });
  WritePdJson(call.res, 200, body.dump());
  return absl::OkStatus();
}

absl::Status GetIncident(Call& call) {
  auto incident = VisibleIncident(call, call.req.matches[1]);
  if (!incident.ok()) return incident.status();
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  WritePdJson(call.res, 200,
              nlohmann::json{{"incident", IncidentJson(*ctx, **incident)}}.dump());
  return absl::OkStatus();
}

WriteCheck WriteCheckFor(const Call& call) {
  return [&call](const std::string& service_id) {
    return RequireWrite(call.state, call.who, service_id);
  };
}

absl::Status CreateIncidentRoute(Call& call) {
  auto body = JsonBody(call.req);
  if (!body.ok()) return body.status();
  auto incident = CreateIncident(call.state, body->value("incident", nlohmann::json()),
                                 call.actor, WriteCheckFor(call));
  if (!incident.ok()) return incident.status();
  const RenderContext ctx = PlainRender(call.state);
  WritePdJson(call.res, 201,
              nlohmann::json{{"incident", IncidentJson(ctx, **incident, true)}}.dump());
  return absl::OkStatus();
}

absl::Status UpdateIncidentRoute(Call& call) {
  auto incident = VisibleIncident(call, call.req.matches[1]);
  if (!incident.ok()) return incident.status();
  auto body = JsonBody(call.req);
  if (!body.ok()) return body.status();
  auto change = ParseIncidentChange(call.state, body->value("incident", nlohmann::json()));
  if (!change.ok()) return change.status();
  if (auto ok = CheckIncidentChange(call.state, **incident, *change, WriteCheckFor(call));
      !ok.ok()) {
    return ok;
  }
  ApplyIncidentChange(call.state, **incident, *change, call.actor);
  const RenderContext ctx = PlainRender(call.state);
  WritePdJson(call.res, 200,
              nlohmann::json{{"incident", IncidentJson(ctx, **incident, true)}}.dump());
  return absl::OkStatus();
}

// Bulk update: all or nothing (PagerDuty REST API reference: Manage
// incidents, PUT /incidents).
absl::Status BulkUpdateRoute(Call& call) {
  auto body = JsonBody(call.req);
  if (!body.ok()) return body.status();
  const nlohmann::json items = body->value("incidents", nlohmann::json());
  if (!items.is_array() || items.empty()) {
    return InvalidInput("The body must be {\"incidents\": [{\"id\", \"type\", ...}]}");
  }
  if (items.size() > kMaxBulkIncidents) {
    return PdError(413, kCodeInvalidInput, "Request Entity Too Large",
                   {absl::StrCat("At most ", kMaxBulkIncidents,
                                 " incidents per request, got ", items.size())});
  }
  std::vector<std::pair<Incident*, IncidentChange>> changes;
  std::set<std::string> seen;
  for (const nlohmann::json& item : items) {
    const std::string id = item.is_object() ? item.value("id", "") : "";
    auto incident = VisibleIncident(call, id);
    if (!incident.ok()) return incident.status();
    if (!seen.insert((*incident)->id).second) {
      return InvalidInput(absl::StrCat("Incident ", id, " is listed twice"));
    }
    auto change = ParseIncidentChange(call.state, item);
    if (!change.ok()) return change.status();
    if (auto ok = CheckIncidentChange(call.state, **incident, *change, WriteCheckFor(call));
        !ok.ok()) {
      return ok;
    }
    changes.emplace_back(*incident, *std::move(change));
  }
  for (auto& [incident, change] : changes) {
    ApplyIncidentChange(call.state, *incident, change, call.actor);
  }
  const RenderContext ctx = PlainRender(call.state);
  Page page;
  page.limit = static_cast<int>(changes.size());
  nlohmann::json json = PagedJson("incidents", page, changes.size(), [&](size_t i) {
    return IncidentJson(ctx, *changes[i].first, true);
  });
  WritePdJson(call.res, 200, json.dump());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Incident*> VisibleIncident(Call& call, const std::string& id_or_number) {
  Incident* incident = FindIncident(call.state, id_or_number);
  if (incident == nullptr) {
    return NotFound(absl::StrCat("Incident \"", id_or_number, "\" not found"));
  }
  if (!CanRead(call.state, call.who, incident->service_id)) {
    return AccessDenied(absl::StrCat("No access to incident ", id_or_number));
  }
  return incident;
}

void RegisterIncidentRoutes(Router& router) {
  router.Add("GET", "/incidents", RouteKind::kRead, ListIncidents);
  router.Add("POST", "/incidents", RouteKind::kWrite, CreateIncidentRoute,
             /*operation_limited=*/true);
  router.Add("PUT", "/incidents", RouteKind::kWrite, BulkUpdateRoute);
  router.Add("GET", R"(/incidents/([^/]+))", RouteKind::kRead, GetIncident);
  router.Add("PUT", R"(/incidents/([^/]+))", RouteKind::kWrite, UpdateIncidentRoute);
}

}  // namespace ferry::pagerduty_sim
