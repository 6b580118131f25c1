#pragma once

#include <atomic>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "httplib.h"
#include "tools/pagerduty_sim/activity_log.h"
#include "tools/pagerduty_sim/auth.h"
#include "tools/pagerduty_sim/model.h"
#include "tools/pagerduty_sim/render.h"
#include "tools/simcore/sim_server.h"

namespace ferry::pagerduty_sim {

// Everything a REST handler sees. `state` is locked for the whole call.
// `actor.user_id` is set on writes (see ResolveActor), empty on reads.
struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  State& state;
  const Principal& who;
  Actor actor;
};

enum class RouteKind { kRead, kWrite };

// A handler answers through call.res; a returned error is rendered as a
// PagerDuty error body instead.
using RouteHandler = std::function<absl::Status(Call&)>;

// Builds the RenderContext of a call: time_zone (default UTC; unknown zone is
// 400 / 2001) and include[].
absl::StatusOr<RenderContext> RenderFor(const Call& call);

// The zone for since/until values without an offset: the request's
// time_zone when given, else the account's.
absl::TimeZone NaiveZone(const Call& call, const RenderContext& ctx);

// Routes PagerDuty REST requests through the common pipeline: tag the
// response with an X-Request-Id, authenticate
// (401 / 2006), rate limit per token or user (ratelimit-* headers on every
// evaluated response, 429 / 2020), Accept version 2, then for writes a
// read-only account token is 403 / 2010 and the acting user is resolved from
// the token or the From header. Handlers run with the state mutex held.
class Router {
 public:
  // `server`, `mu` and `state` must outlive the router; `state` is guarded
  // by `mu`.
  Router(simcore::SimServer& server, absl::Mutex& mu, State& state);

  // Registers `handler` for `method` ("GET", "POST", "PUT", "DELETE") and a
  // cpp-httplib regex `pattern` such as R"(/incidents/([^/]+))". An
  // `operation_limited` route (POST /incidents: PagerDuty documents an
  // operation-specific limit for it, numbers unpublished) also takes a token
  // from one account-wide bucket holding an eighth of the per-token limit
  // (120 a minute by default); its headers then show whichever limit is
  // closer to being reached, and an empty bucket is 429 / 2020.
  void Add(const std::string& method, const std::string& pattern, RouteKind kind,
           RouteHandler handler, bool operation_limited = false);

  // Runs `hook` with the state mutex held after every REST call (used to
  // queue the webhook events the call produced). Set before serving.
  void SetAfterCall(std::function<void()> hook) { after_call_ = std::move(hook); }

  // Runs the route matching `req` as user `user_id`, as if that person acted
  // in the web UI: no token, no rate limit, no From header, the user's own
  // roles apply. 404 / 2100 when no route matches. Must not be called with
  // the state mutex held.
  void DispatchAs(const std::string& user_id, httplib::Request& req,
                  httplib::Response& res);

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    RouteKind kind;
    RouteHandler handler;
    bool operation_limited = false;
  };

  // Takes a token from the operation bucket, first matching its size to
  // the current per-token limit.
  simcore::RateDecision AcquireOperation();

  void Serve(const Route& route, const httplib::Request& req,
             httplib::Response& res);
  absl::Status Run(const Route& route, const httplib::Request& req,
                   httplib::Response& res, const Principal& who);

  simcore::SimServer& server_;
  absl::Mutex& mu_;
  State& state_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Route>> routes_;
  std::function<void()> after_call_;
  std::atomic<uint64_t> next_request_id_{1};
  simcore::TokenBucketRateLimiter operation_limiter_;
};

}  // namespace ferry::pagerduty_sim
