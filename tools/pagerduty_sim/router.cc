#include "tools/pagerduty_sim/router.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/query.h"
#include "tools/pagerduty_sim/time_format.h"

namespace ferry::pagerduty_sim {

absl::StatusOr<RenderContext> RenderFor(const Call& call) {
  RenderContext ctx;
  ctx.state = &call.state;
  ctx.includes = Includes(call.req);
  if (call.req.has_param("time_zone")) {
    auto zone = LoadZone(call.req.get_param_value("time_zone"));
    if (!zone.ok()) return InvalidInput(std::string(zone.status().message()));
    ctx.zone = *zone;
  }
  return ctx;
}

absl::TimeZone NaiveZone(const Call& call, const RenderContext& ctx) {
  if (call.req.has_param("time_zone")) return ctx.zone;
  absl::StatusOr<absl::TimeZone> account = LoadZone(call.state.account.time_zone);
  return account.ok() ? *account : ctx.zone;
}

namespace {

constexpr int kOperationShare = 8;  // operation limit = per-token limit / 8

simcore::RateLimit OperationLimit(simcore::RateLimit token_limit) {
  token_limit.limit = std::max(1, token_limit.limit / kOperationShare);
  return token_limit;
}

}  // namespace

Router::Router(simcore::SimServer& server, absl::Mutex& mu, State& state)
    : server_(server),
      mu_(mu),
      state_(state),
      operation_limiter_(&server.clock(), OperationLimit(server.rate_limiter().limits())) {}

simcore::RateDecision Router::AcquireOperation() {
  const simcore::RateLimit wanted = OperationLimit(server_.rate_limiter().limits());
  const simcore::RateLimit current = operation_limiter_.limits();
  if (wanted.limit != current.limit || wanted.window != current.window) {
    operation_limiter_.SetLimits(wanted);
  }
  return operation_limiter_.Acquire("account");
}

void Router::Add(const std::string& method, const std::string& pattern,
                 RouteKind kind, RouteHandler handler, bool operation_limited) {
  routes_.push_back(std::make_unique<Route>(
      Route{method, std::regex(pattern), kind, std::move(handler), operation_limited}));
  const Route* route = routes_.back().get();
  auto serve = [this, route](const httplib::Request& req, httplib::Response& res) {
    Serve(*route, req, res);
  };
  httplib::Server& http = server_.http();
  if (method == "GET") http.Get(pattern, serve);
  if (method == "POST") http.Post(pattern, serve);
  if (method == "PUT") http.Put(pattern, serve);
  if (method == "DELETE") http.Delete(pattern, serve);
}

void Router::Serve(const Route& route, const httplib::Request& req,
                   httplib::Response& res) {
  res.set_header("X-Request-Id", absl::StrCat("sim-", next_request_id_.fetch_add(1)));
  absl::StatusOr<Principal> who = [&] {
    absl::MutexLock lock(&mu_);
    return Authenticate(state_, req);
  }();
  if (!who.ok()) {
    WritePdError(res, who.status());
    return;
  }
  simcore::RateDecision rate = server_.rate_limiter().Acquire(who->rate_key);
  if (rate.allowed && route.operation_limited) {
    const simcore::RateDecision operation = AcquireOperation();
    if (!operation.allowed || operation.remaining < rate.remaining) rate = operation;
  }
  res.set_header("ratelimit-limit", std::to_string(rate.limit));
  res.set_header("ratelimit-remaining", std::to_string(rate.remaining));
  res.set_header("ratelimit-reset", std::to_string(rate.reset_seconds));
  if (!rate.allowed) {
    WritePdError(res, PdError(429, kCodeRateLimited, "Rate Limit Exceeded"));
    return;
  }
  absl::Status status = CheckAcceptVersion(req);
  if (status.ok()) status = Run(route, req, res, *who);
  if (!status.ok()) WritePdError(res, status);
}

absl::Status Router::Run(const Route& route, const httplib::Request& req,
                         httplib::Response& res, const Principal& who) {
  absl::MutexLock lock(&mu_);
  Call call{req, res, state_, who, Actor{"", server_.clock().Now()}};
  if (route.kind == RouteKind::kWrite) {
    if (who.account && who.read_only) {
      return AccessDenied("This API key is read-only; use a full-access key");
    }
    absl::StatusOr<std::string> actor = ResolveActor(state_, who, req);
    if (!actor.ok()) return actor.status();
    call.actor.user_id = *actor;
  }
  absl::Status status = route.handler(call);
  if (after_call_) after_call_();
  return status;
}

void Router::DispatchAs(const std::string& user_id, httplib::Request& req,
                        httplib::Response& res) {
  for (const auto& route : routes_) {
    if (route->method != req.method ||
        !std::regex_match(req.path, req.matches, route->pattern)) {
      continue;
    }
    Principal who;
    who.user_id = user_id;
    const absl::Status status = Run(*route, req, res, who);
    if (!status.ok()) WritePdError(res, status);
    return;
  }
  WritePdError(res, NotFound(absl::StrCat("No route for ", req.method, " ",
                                          req.path)));
}

}  // namespace ferry::pagerduty_sim
