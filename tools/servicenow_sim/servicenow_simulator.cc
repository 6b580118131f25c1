#include "tools/servicenow_sim/servicenow_simulator.h"

#include "absl/strings/str_cat.h"
#include "tools/servicenow_sim/errors.h"
#include "tools/servicenow_sim/incident_rules.h"
#include "tools/servicenow_sim/table_api.h"
#include "tools/simcore/core_admin_routes.h"

namespace ferry::servicenow_sim {
namespace {

std::string BaseUrl(const httplib::Request& req, int port) {
  std::string host = req.get_header_value("Host");
  if (host.empty()) host = absl::StrCat("127.0.0.1:", port);
  // Links use the scheme the request came in on (TLS listener or not).
  return (req.ssl != nullptr ? "https://" : "http://") + host;
}

void WriteRateHeaders(httplib::Response& res, const RateVerdict& verdict) {
  res.set_header("X-RateLimit-Limit", absl::StrCat(verdict.limit));
  res.set_header("X-RateLimit-Reset", absl::StrCat(verdict.reset_unix));
  res.set_header("X-RateLimit-Rule", verdict.rule_sys_id);
}

}  // namespace

std::string FormatDateTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, absl::UTCTimeZone());
}

ServiceNowSimulator::ServiceNowSimulator(simcore::SimServerOptions options)
    : server_(std::move(options)),
      auth_(&server_.clock()),
      rate_rules_(&server_.clock()) {
  // The default schemas always have incident, so this cannot fail.
  store_.SetRules("incident", std::make_unique<IncidentRules>()).IgnoreError();
  auto table = [this](const httplib::Request& req, httplib::Response& res) {
    HandleTable(req, res, "");
  };
  const std::string path = kTableApiPath;
  server_.http().Get(path, table);
  server_.http().Post(path, table);
  server_.http().Put(path, table);
  server_.http().Patch(path, table);
  server_.http().Delete(path, table);
  server_.http().Post("/oauth_token.do",
                      [this](const httplib::Request& req,
                             httplib::Response& res) { HandleToken(req, res); });
  RegisterAdminRoutes();
}

std::string ServiceNowSimulator::Now() {
  return FormatDateTime(server_.clock().Now());
}

void ServiceNowSimulator::HandleTable(const httplib::Request& req,
                                      httplib::Response& res,
                                      const std::string& act_as) {
  const size_t first = act_as.empty() ? 1 : 2;
  TableCall call;
  call.version = req.matches[first].str();
  call.table = req.matches[first + 1].str();
  call.sys_id = req.matches[first + 2].str();
  call.now = Now();
  call.base_url = BaseUrl(req, server_.port());
  absl::StatusOr<Caller> caller = store_.Read([&](const Tables& tables) {
    return act_as.empty()
               ? auth_.Authenticate(req.get_header_value("Authorization"),
                                    tables)
               : auth_.CallerNamed(act_as, tables);
  });
  if (!caller.ok()) {
    if (act_as.empty()) {
      WriteNotAuthenticated(res);
    } else {
      simcore::WriteJson(res, 404, {{"error", std::string(caller.status().message()) +
                                                  ": seed the user first"}});
    }
    return;
  }
  call.caller = *std::move(caller);
  if (act_as.empty()) {
    RateVerdict verdict = rate_rules_.Count(call.caller);
    if (verdict.matched) WriteRateHeaders(res, verdict);
    if (!verdict.allowed) {
      res.set_header("Retry-After", absl::StrCat(verdict.retry_after));
      WriteError(res, 429, "Rate limit exceeded",
                 absl::StrCat("Rate limit of ", verdict.limit,
                              " requests per hour for Table API exceeded"));
      return;
    }
  }
  ServeTable(store_, call, req, res);
}

void ServiceNowSimulator::HandleToken(const httplib::Request& req,
                                      httplib::Response& res) {
  httplib::Params form = req.params;
  if (!form.count("grant_type")) httplib::detail::parse_query_text(req.body, form);
  absl::StatusOr<nlohmann::json> token = store_.Read(
      [&](const Tables& tables) { return auth_.IssueToken(form, tables); });
  if (!token.ok()) {
    WriteJsonBody(res, 401,
                  {{"error", "server_error"},
                   {"error_description", "access_denied"}});
    return;
  }
  WriteJsonBody(res, 200, *token);
}

}  // namespace ferry::servicenow_sim
