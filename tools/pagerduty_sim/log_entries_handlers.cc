// GET /log_entries, /log_entries/{id} and /incidents/{id}/log_entries
// (PagerDuty REST API reference: List log entries): newest first, since/until, is_overview, include[],
// team_ids[] (account-wide list only).
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/handlers.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/query.h"
#include "tools/pagerduty_sim/state_lookup.h"
#include "tools/pagerduty_sim/time_window.h"

namespace ferry::pagerduty_sim {
namespace {

// The "most important changes" is_overview=true keeps (assignments and
// notifications are left out). INFERENCE: PagerDuty does not list them.
bool IsOverviewType(const std::string& type) {
  static const std::set<std::string> kOverview = {
      "trigger_log_entry",        "acknowledge_log_entry",
      "unacknowledge_log_entry",  "resolve_log_entry",
      "escalate_log_entry",       "delegate_log_entry",
      "annotate_log_entry",       "priority_change_log_entry",
      "status_update_log_entry",  "urgency_change_log_entry"};
  return kOverview.count(type) > 0;
}

// Log entries render in the account's time zone unless time_zone is given
// (PagerDuty REST API reference: "This will default to the account time
// zone").
absl::StatusOr<RenderContext> LogRenderFor(const Call& call) {
  auto ctx = RenderFor(call);
  if (ctx.ok()) ctx->zone = NaiveZone(call, *ctx);
  return ctx;
}

// Lists the log entries (of `incident_id` when set) that pass the request's
// filters, newest first.
absl::Status ListEntries(Call& call, const std::string& incident_id) {
  auto page = ParsePage(call.req);
  if (!page.ok()) return page.status();
  auto ctx = LogRenderFor(call);
  if (!ctx.ok()) return ctx.status();
  auto window = ParseWindow(call.req, NaiveZone(call, *ctx));
  if (!window.ok()) return window.status();
  auto overview = BoolParam(call.req, "is_overview", false);
  if (!overview.ok()) return overview.status();
  const auto team_ids = ArrayParam(call.req, "team_ids[]");
  if (!team_ids.empty()) {
    if (auto ok = RequireAbility(call.state, "teams"); !ok.ok()) return ok;
  }
  std::vector<const LogEntry*> found;
  for (auto it = call.state.log_entries.rbegin(); it != call.state.log_entries.rend();
       ++it) {
    const LogEntry& entry = *it;
    if (!incident_id.empty() && entry.incident_id != incident_id) continue;
    if (!window->Contains(entry.created_at)) continue;
    if (*overview && !IsOverviewType(entry.type)) continue;
    if (!team_ids.empty() &&
        std::none_of(entry.team_ids.begin(), entry.team_ids.end(), [&](const std::string& t) {
          return std::find(team_ids.begin(), team_ids.end(), t) != team_ids.end();
        })) {
      continue;
    }
    if (!CanRead(call.state, call.who, entry.service_id)) continue;
    found.push_back(&entry);
  }
  // Entries are appended in time order except for back-dated seeds.
  std::stable_sort(found.begin(), found.end(), [](const LogEntry* a, const LogEntry* b) {
    return a->created_at > b->created_at;
  });
  nlohmann::json body = PagedJson("log_entries", *page, found.size(), [&](size_t i) {
    return LogEntryJson(*ctx, *found[i]);
  });
  WritePdJson(call.res, 200, body.dump());
  return absl::OkStatus();
}

absl::Status ListAll(Call& call) { return ListEntries(call, ""); }

absl::Status ListForIncident(Call& call) {
  auto incident = VisibleIncident(call, call.req.matches[1]);
  if (!incident.ok()) return incident.status();
  return ListEntries(call, (*incident)->id);
}

absl::Status GetEntry(Call& call) {
  const LogEntry* entry = FindLogEntry(call.state, call.req.matches[1]);
  if (entry == nullptr) {
    return NotFound(absl::StrCat("Log entry \"", std::string(call.req.matches[1]),
                                 "\" not found"));
  }
  if (!CanRead(call.state, call.who, entry->service_id)) {
    return AccessDenied("No access to this log entry's service");
  }
  auto ctx = LogRenderFor(call);
  if (!ctx.ok()) return ctx.status();
  WritePdJson(call.res, 200,
              nlohmann::json{{"log_entry", LogEntryJson(*ctx, *entry)}}.dump());
  return absl::OkStatus();
}

}  // namespace

void RegisterLogEntryRoutes(Router& router) {
  router.Add("GET", "/log_entries", RouteKind::kRead, ListAll);
  router.Add("GET", R"(/log_entries/([^/]+))", RouteKind::kRead, GetEntry);
  router.Add("GET", R"(/incidents/([^/]+)/log_entries)", RouteKind::kRead,
             ListForIncident);
}

}  // namespace ferry::pagerduty_sim
