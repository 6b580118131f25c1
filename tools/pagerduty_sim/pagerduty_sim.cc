#include "tools/pagerduty_sim/pagerduty_sim.h"

#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/events_api.h"
#include "tools/pagerduty_sim/handlers.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/seed.h"
#include "tools/pagerduty_sim/state_lookup.h"
#include "tools/simcore/core_admin_routes.h"

namespace ferry::pagerduty_sim {

namespace {

// PagerDuty counts a token's requests per minute: `ratelimit-reset` is the
// time until the window ends and the whole limit comes back, not a
// continuous refill.
simcore::SimServerOptions WithFixedWindow(simcore::SimServerOptions options) {
  options.rate_limit.fixed_window = true;
  return options;
}

}  // namespace

PagerDutySim::PagerDutySim(simcore::SimServerOptions options, State initial)
    : server_(WithFixedWindow(std::move(options))), state_(std::move(initial)),
      router_(server_, mu_, state_),
      webhooks_(mu_, state_, server_.clock()),
      events_limiter_(&server_.clock(), {kEventsPerMinute, absl::Minutes(1)}) {
  RegisterIncidentRoutes(router_);
  RegisterWebhookRoutes(router_);
  router_.SetAfterCall([this] { webhooks_.Collect(); });
  RegisterNoteRoutes(router_);
  RegisterLogEntryRoutes(router_);
  RegisterDirectoryRoutes(router_);
  RegisterAlertRoutes(router_);
  RegisterEventsApi(server_, mu_, state_, events_limiter_, [this] { webhooks_.Collect(); });
  RegisterAdminRoutes();
  // Paths nobody serves (e.g. GET /incidents/{id}/status_updates, which
  // PagerDuty does not have) get PagerDuty's JSON 404, not an empty body.
  server_.http().set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) {
      WritePdError(res, NotFound(absl::StrCat("No route for ", req.method, " ", req.path)));
    }
  });
}

PagerDutySim::~PagerDutySim() { Stop(); }

absl::StatusOr<int> PagerDutySim::Start() {
  absl::StatusOr<int> port = server_.Start();
  if (port.ok()) webhooks_.Start();
  return port;
}

void PagerDutySim::Stop() {
  server_.Stop();
  webhooks_.Stop();
}

void PagerDutySim::RegisterAdminRoutes() {
  httplib::Server& http = server_.http();
  http.Post("/admin/seed", [this](const httplib::Request& req, httplib::Response& res) {
    auto body = simcore::ParseAdminBody(req, res);
    if (!body) return;
    absl::StatusOr<State> state = StateFromSeed(*body, server_.clock().Now());
    if (!state.ok()) {
      simcore::WriteJson(res, 400, {{"error", std::string(state.status().message())}});
      return;
    }
    absl::MutexLock lock(&mu_);
    state_ = *std::move(state);
    simcore::WriteJson(res, 200, {{"incidents", state_.incidents.size()},
                                  {"users", state_.users.size()}});
  });
  http.Post("/admin/act", [this](const httplib::Request& req, httplib::Response& res) {
    auto body = simcore::ParseAdminBody(req, res);
    if (!body) return;
    const std::string as = body->value("as", "");
    std::string user_id;
    {
      absl::MutexLock lock(&mu_);
      const User* user = FindUser(state_, as);
      if (user == nullptr) user = FindUserByEmail(state_, as);
      if (user != nullptr) user_id = user->id;
    }
    const std::string method = body->value("method", "");
    const std::string path = body->value("path", "");
    if (user_id.empty() || method.empty() || path.empty() || path[0] != '/') {
      simcore::WriteJson(res, 400,
                         {{"error", absl::StrCat("send {\"as\": <existing user id or "
                                                 "email>, \"method\", \"path\" starting "
                                                 "with /, \"body\"}; got as=\"", as, "\"")}});
      return;
    }
    httplib::Request inner;
    inner.method = method;
    inner.path = path;
    if (body->contains("body")) inner.body = body->at("body").dump();
    router_.DispatchAs(user_id, inner, res);
  });
}

}  // namespace ferry::pagerduty_sim
