#include "tools/jira_sim/jira_simulator.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "tools/jira_sim/auth.h"
#include "tools/jira_sim/errors.h"
#include "tools/jira_sim/fixture.h"
#include "tools/jira_sim/issue_ops.h"
#include "tools/simcore/core_admin_routes.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr char kRestPattern[] = R"(/rest/api/(2|3|latest)(/.*))";
constexpr char kActAsPattern[] =
    R"(/admin/jira/as/([^/]+)/rest/api/(2|3|latest)(/.*))";

// Headers Jira DC sends on rate-limited calls; `retry_after` is 0 while
// tokens remain.
void DcRateHeaders(const simcore::RateDecision& d, const simcore::RateLimit& l,
                   std::map<std::string, std::string>& headers) {
  int64_t interval = std::max<int64_t>(1, absl::ToInt64Seconds(l.window));
  headers["X-RateLimit-Limit"] = std::to_string(d.limit);
  headers["X-RateLimit-Remaining"] = std::to_string(d.remaining);
  headers["X-RateLimit-Interval-Seconds"] = std::to_string(interval);
  headers["X-RateLimit-FillRate"] = std::to_string(l.limit);
  headers["retry-after"] =
      d.allowed ? "0" : std::to_string(std::max(1, d.reset_seconds));
}

// Cloud sends these on a 429 only.
void CloudRateHeaders(const simcore::RateDecision& d, absl::Time now,
                      std::map<std::string, std::string>& headers) {
  int wait = std::max(1, d.reset_seconds);
  headers["Retry-After"] = std::to_string(wait);
  headers["X-RateLimit-Limit"] = std::to_string(d.limit);
  headers["X-RateLimit-Remaining"] = "0";
  headers["X-RateLimit-Reset"] = absl::FormatTime(
      "%Y-%m-%dT%H:%MZ", now + absl::Seconds(wait), absl::UTCTimeZone());
  headers["RateLimit-Reason"] = "jira-burst-based";
}

}  // namespace

JiraSimulator::JiraSimulator(Dialect dialect, State state,
                             simcore::SimServerOptions options)
    : dialect_(dialect), server_(std::move(options)), store_(std::move(state)) {
  env_.store = &store_;
  // Catalog routes first: /issue/createmeta must win over /issue/{key}.
  RegisterMetaRoutes(router_, env_);
  RegisterSearchRoutes(router_, env_);
  RegisterIssueRoutes(router_, env_);
  RegisterCommentRoutes(router_, env_);
  RegisterRemoteLinkRoutes(router_, env_);
  RegisterWorkflowRoutes(router_, env_);
  httplib::Server& http = server_.http();
  auto rest = [this](const httplib::Request& req, httplib::Response& res) {
    HandleRest(req, res);
  };
  auto act_as = [this](const httplib::Request& req, httplib::Response& res) {
    HandleActAs(req, res);
  };
  http.Get(kRestPattern, rest);
  http.Post(kRestPattern, rest);
  http.Put(kRestPattern, rest);
  http.Delete(kRestPattern, rest);
  http.Get(kActAsPattern, act_as);
  http.Post(kActAsPattern, act_as);
  http.Put(kActAsPattern, act_as);
  http.Delete(kActAsPattern, act_as);
  RegisterAdminRoutes();
}

absl::StatusOr<int> JiraSimulator::Start() { return server_.Start(); }

bool JiraSimulator::PrepareCall(const httplib::Request& req,
                                const std::string& version,
                                const std::string& path, Call& call,
                                httplib::Response& res) {
  if (version == "3" && dialect_ == Dialect::kDataCenter) {
    WriteReply(Reply::Error(absl::NotFoundError(
                   "Jira Data Center has no /rest/api/3; use /rest/api/2.")),
               res);
    return false;
  }
  call.request = &req;
  call.method = req.method;
  call.path = path;
  call.now = server_.clock().Now();
  call.view.dialect = dialect_;
  call.view.api_version = version == "3" ? 3 : 2;
  std::string host = req.get_header_value("Host");
  call.view.base_url = absl::StrCat(
      "http://", host.empty() ? absl::StrCat("127.0.0.1:", server_.port()) : host);
  std::string zone_name =
      store_.Read([](const State& s) { return s.server_time_zone; });
  if (!absl::LoadTimeZone(zone_name, &call.view.zone)) {
    call.view.zone = absl::UTCTimeZone();
  }
  return true;
}

void JiraSimulator::HandleRest(const httplib::Request& req,
                               httplib::Response& res) {
  Call call;
  if (!PrepareCall(req, req.matches[1], req.matches[2], call, res)) return;
  absl::StatusOr<Identity> identity = store_.Read([&](const State& s) {
    return Authenticate(s, dialect_, req.get_header_value("Authorization"));
  });
  if (!identity.ok()) {
    Reply reply = Reply::Error(identity.status());
    if (dialect_ == Dialect::kDataCenter) {
      reply.headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED";
    }
    WriteReply(reply, res);
    return;
  }
  call.caller = identity->user;
  std::map<std::string, std::string> headers;
  if (identity->rate_limited) {
    simcore::RateDecision decision =
        server_.rate_limiter().Acquire(identity->rate_key);
    if (dialect_ == Dialect::kDataCenter) {
      DcRateHeaders(decision, server_.rate_limiter().limits(), headers);
    }
    if (!decision.allowed) {
      Reply refused = Reply::Error(absl::ResourceExhaustedError(
          "Rate limit exceeded. Wait for the time in the Retry-After header, "
          "then retry."));
      refused.headers = headers;
      if (dialect_ == Dialect::kCloud) {
        CloudRateHeaders(decision, call.now, refused.headers);
      }
      WriteReply(refused, res);
      return;
    }
  }
  Dispatch(call, res, headers);
}

void JiraSimulator::HandleActAs(const httplib::Request& req,
                                httplib::Response& res) {
  Call call;
  if (!PrepareCall(req, req.matches[2], req.matches[3], call, res)) return;
  std::string who = req.matches[1];
  bool found = store_.Read([&](const State& s) {
    for (const User& user : s.users) {
      if (user.account_id == who || user.name == who) {
        call.caller = user;
        return true;
      }
    }
    return false;
  });
  if (!found) {
    simcore::WriteJson(res, 404,
                       {{"error", absl::StrCat("no user '", who,
                                               "'; give an accountId or name "
                                               "from the fixture")}});
    return;
  }
  Dispatch(call, res, {});
}

void JiraSimulator::Dispatch(
    Call& call, httplib::Response& res,
    const std::map<std::string, std::string>& headers) {
  Reply reply = router_.Dispatch(call);
  for (const auto& [name, value] : headers) reply.headers[name] = value;
  if (dialect_ == Dialect::kCloud) {
    reply.headers["X-AACCOUNTID"] = call.caller.account_id;
  } else {
    reply.headers["X-AUSERNAME"] = call.caller.name;
  }
  WriteReply(reply, res);
}

void JiraSimulator::RegisterAdminRoutes() {
  httplib::Server& http = server_.http();
  http.Put("/admin/jira/fixture", [this](const httplib::Request& req,
                                         httplib::Response& res) {
    std::optional<json> body = simcore::ParseAdminBody(req, res);
    if (!body) return;
    absl::StatusOr<State> state = StateFromFixture(*body);
    if (!state.ok()) {
      simcore::WriteJson(res, 400, {{"error", std::string(state.status().message())}});
      return;
    }
    store_.Write([&](State& s) { s = *std::move(state); });
    simcore::WriteJson(res, 200, {{"loaded", true}});
  });
  http.Post("/admin/jira/users", [this](const httplib::Request& req,
                                        httplib::Response& res) {
    std::optional<json> body = simcore::ParseAdminBody(req, res);
    if (!body) return;
    absl::StatusOr<User> user = UserFromJson(*body);
    if (!user.ok()) {
      simcore::WriteJson(res, 400, {{"error", std::string(user.status().message())}});
      return;
    }
    bool added = store_.Write([&](State& s) {
      if (FindUserById(s, user->account_id) != nullptr) return false;
      s.users.push_back(*user);
      return true;
    });
    if (!added) {
      simcore::WriteJson(res, 409, {{"error", absl::StrCat("user ", user->account_id,
                                                           " exists; pick another accountId")}});
      return;
    }
    simcore::WriteJson(res, 201, {{"accountId", user->account_id}});
  });
  http.Post(R"(/admin/jira/issues/([^/]+)/move)", [this](const httplib::Request& req,
                                                         httplib::Response& res) {
    std::optional<json> body = simcore::ParseAdminBody(req, res);
    if (!body) return;
    std::string issue_ref = req.matches[1];
    std::string project = body->value("project", std::string());
    absl::Time now = server_.clock().Now();
    absl::Status moved = store_.Write(
        [&](State& s) { return MoveIssue(s, issue_ref, project, now); });
    if (!moved.ok()) {
      simcore::WriteJson(res, HttpStatusFor(moved),
                         {{"error", std::string(moved.message())}});
      return;
    }
    std::string key = store_.Read(
        [&](const State& s) { return FindIssue(s, issue_ref)->key; });
    simcore::WriteJson(res, 200, {{"key", key}});
  });
  http.Put(R"(/admin/jira/issues/([^/]+)/index_hold)", [this](const httplib::Request& req,
                                                             httplib::Response& res) {
    std::optional<json> body = simcore::ParseAdminBody(req, res);
    if (!body) return;
    json held = body->value("held", json());
    if (!held.is_boolean()) {
      simcore::WriteJson(res, 400, {{"error", "give {\"held\": true} or {\"held\": false}"}});
      return;
    }
    std::string issue_ref = req.matches[1];
    absl::Time now = server_.clock().Now();
    bool found = store_.Write([&](State& s) {
      Issue* issue = FindIssue(s, issue_ref);
      if (issue == nullptr) return false;
      if (!held.get<bool>()) {
        issue->index_held_since.reset();
      } else if (!issue->index_held_since.has_value()) {
        issue->index_held_since = now;
      }
      return true;
    });
    if (!found) {
      simcore::WriteJson(res, 404, {{"error", absl::StrCat("no issue '", issue_ref,
                                                           "'; give an id or key")}});
      return;
    }
    simcore::WriteJson(res, 200, {{"held", held}});
  });
  http.Get("/admin/jira/index_lag", [this](const httplib::Request&,
                                           httplib::Response& res) {
    simcore::WriteJson(res, 200, {{"milliseconds", env_.index_lag_ms.load()}});
  });
  http.Put("/admin/jira/index_lag", [this](const httplib::Request& req,
                                           httplib::Response& res) {
    std::optional<json> body = simcore::ParseAdminBody(req, res);
    if (!body) return;
    json ms = body->value("milliseconds", json());
    if (!ms.is_number_integer() || ms.get<int64_t>() < 0) {
      simcore::WriteJson(res, 400, {{"error", "give {\"milliseconds\": n} with n >= 0"}});
      return;
    }
    env_.index_lag_ms = ms.get<int64_t>();
    simcore::WriteJson(res, 200, {{"milliseconds", env_.index_lag_ms.load()}});
  });
}

}  // namespace ferry::jira_sim
