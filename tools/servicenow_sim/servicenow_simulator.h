#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "httplib.h"
#include "tools/servicenow_sim/auth.h"
#include "tools/servicenow_sim/rate_rules.h"
#include "tools/servicenow_sim/store.h"
#include "tools/simcore/sim_server.h"

namespace ferry::servicenow_sim {

// A local ServiceNow instance: the Table API (table_api.h) over an
// in-memory Store, on simcore's server (clock, fault injection and their
// admin API).
//
//   /api/now/table/{table}[/{sys_id}], /api/now/v1/..., /api/now/v2/...
//       every call authenticates (Basic or Bearer, auth.h; else 401) and
//       counts against the rate-limit rules (rate_rules.h): when a rule
//       applies, X-RateLimit-Limit/-Reset/-Rule on every answer, and 429
//       {"Rate limit exceeded", "Rate limit of N requests per hour for
//       Table API exceeded"} with Retry-After once the hour's count is
//       spent.
//   POST /oauth_token.do   (form) grant_type=password|refresh_token →
//       the token JSON; 401 {"error":"server_error",
//       "error_description":"access_denied"} when refused.
//
// Admin (besides simcore's /admin/clock and /admin/faults; simcore's
// /admin/rate_limit bucket is not used: ServiceNow limits per hour by rule):
//   POST /admin/servicenow/tables/{table}/rows    seed one row (Store::Seed)
//   GET  /admin/servicenow/tables/{table}/rows[?sysparm_query=...]
//        every column of the matching rows, passwords included
//   PUT  /admin/servicenow/tables/{table}/audit   {"audit": bool}
//   GET|PUT /admin/servicenow/rate_limit_rules    RateRules' JSON form
//   ANY  /admin/servicenow/as/{user_name}/api/now/...   the Table API as
//        that user: no credentials, no rate limit, no faults (a person in
//        the UI, or another integration).
// Admin errors answer 400/404 with {"error": "<what and the fix>"}.
class ServiceNowSimulator {
 public:
  explicit ServiceNowSimulator(simcore::SimServerOptions options);
  ServiceNowSimulator(const ServiceNowSimulator&) = delete;
  ServiceNowSimulator& operator=(const ServiceNowSimulator&) = delete;

  // Binds and serves in the background; returns the port. Register table
  // rules (store().SetRules) and seed rows before.
  absl::StatusOr<int> Start() { return server_.Start(); }
  void Stop() { server_.Stop(); }
  void Wait() { server_.Wait(); }

  Store& store() { return store_; }
  simcore::SimServer& server() { return server_; }
  RateRules& rate_rules() { return rate_rules_; }
  // The SimClock's now as ServiceNow writes datetimes.
  std::string Now();

 private:
  // `act_as`: the user_name of an admin act-as call, else empty.
  void HandleTable(const httplib::Request& req, httplib::Response& res,
                   const std::string& act_as);
  void HandleToken(const httplib::Request& req, httplib::Response& res);
  void RegisterAdminRoutes();

  simcore::SimServer server_;
  Store store_;
  Authenticator auth_;
  RateRules rate_rules_;
};

// "yyyy-MM-dd HH:mm:ss" in UTC, ServiceNow's datetime text.
std::string FormatDateTime(absl::Time time);

}  // namespace ferry::servicenow_sim
