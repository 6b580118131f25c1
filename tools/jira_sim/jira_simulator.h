#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tools/jira_sim/handlers.h"
#include "tools/jira_sim/http_api.h"
#include "tools/jira_sim/model.h"
#include "tools/jira_sim/render.h"
#include "tools/jira_sim/store.h"
#include "tools/simcore/sim_server.h"

namespace ferry::jira_sim {

// A local Jira: the REST API of one dialect on an OS-chosen port, over an
// in-memory State, on simcore's server (clock, fault injection, rate
// limiter and their admin API).
//
// REST: /rest/api/2/... and /rest/api/latest/... (both dialects) and
// /rest/api/3/... (Cloud only). Every call authenticates (auth.h); rate
// limits count per credential: on Data Center, Basic-auth calls carry the
// token-bucket headers (X-RateLimit-Limit, -Remaining, -Interval-Seconds,
// -FillRate, retry-after) and get 429 when the bucket is empty; PAT calls
// are not limited, as Jira DC does. On Cloud every call counts and a 429
// carries Retry-After, X-RateLimit-Limit/-Remaining/-Reset and
// RateLimit-Reason.
//
// Admin (besides simcore's /admin/clock, /admin/faults, /admin/rate_limit):
//   PUT  /admin/jira/fixture               replace all state (fixture.h)
//   POST /admin/jira/users                 add a user (fixture user form)
//   POST /admin/jira/issues/{key}/move     {"project": "KEY"}
//   GET|PUT /admin/jira/index_lag          {"milliseconds": n} (Cloud)
//   PUT  /admin/jira/issues/{key}/index_hold  {"held": bool}: while held,
//        searches (both dialects) see the issue as it was when the hold
//        began, as when Jira indexes one issue late.
//   ANY  /admin/jira/as/{accountId}/rest/api/{2|3|latest}/...
//        the REST API acting as that user: no credentials, no rate limit,
//        no faults (a human in the web UI).
// Admin errors answer 400/404/409 with {"error": "<what and the fix>"}.
class JiraSimulator {
 public:
  JiraSimulator(Dialect dialect, State state, simcore::SimServerOptions options);
  JiraSimulator(const JiraSimulator&) = delete;
  JiraSimulator& operator=(const JiraSimulator&) = delete;

  // Binds and serves in the background; returns the port.
  absl::StatusOr<int> Start();
  void Stop() { server_.Stop(); }
  void Wait() { server_.Wait(); }

  simcore::SimServer& server() { return server_; }
  Store& store() { return store_; }
  // Cloud search/jql index lag (also settable via the admin API).
  void SetIndexLag(absl::Duration lag) {
    env_.index_lag_ms = absl::ToInt64Milliseconds(lag);
  }

 private:
  void HandleRest(const httplib::Request& req, httplib::Response& res);
  void HandleActAs(const httplib::Request& req, httplib::Response& res);
  void RegisterAdminRoutes();
  // Fills everything of `call` but the caller; false (with `res` written)
  // when the version does not exist in this dialect.
  bool PrepareCall(const httplib::Request& req, const std::string& version,
                   const std::string& path, Call& call, httplib::Response& res);
  // Runs the route and writes its reply plus `headers` and the identity
  // header Jira adds (X-AUSERNAME on DC, X-AACCOUNTID on Cloud).
  void Dispatch(Call& call, httplib::Response& res,
                const std::map<std::string, std::string>& headers);

  const Dialect dialect_;
  simcore::SimServer server_;
  Store store_;
  HandlerEnv env_;
  Router router_;
};

}  // namespace ferry::jira_sim
