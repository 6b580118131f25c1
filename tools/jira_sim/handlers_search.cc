// Search: DC offset search, Cloud's token-paged search/jql, the Cloud 410
// for the removed endpoint, and approximate-count.
#include <algorithm>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/jira_sim/handlers.h"
#include "tools/jira_sim/search.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr int kDcMaxResults = 1000;
constexpr int kCloudMaxIds = 5000;
constexpr int kCloudMaxWithFields = 100;

constexpr char kRemovedSearch[] =
    "The requested API has been removed. Please migrate to the "
    "/rest/api/3/search/jql API. A full migration guideline is available at "
    "https://developer.atlassian.com/changelog/#CHANGE-2046";

// Search parameters from the query string (GET) or the JSON body (POST),
// lists flattened to comma-separated strings.
struct SearchParams {
  std::string jql;
  int start_at = 0;
  int max_results = 50;
  std::string next_page_token;
  std::string fields;
  std::string expand;
  std::string properties;
  std::set<int64_t> reconcile;
};

std::string Flatten(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  std::vector<std::string> parts;
  if (value.is_array()) {
    for (const json& v : value) {
      parts.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    }
  }
  return absl::StrJoin(parts, ",");
}

absl::StatusOr<SearchParams> ReadParams(const Call& call) {
  SearchParams p;
  if (call.method == "GET") {
    p.jql = call.Param("jql");
    absl::StatusOr<int> start = call.IntParam("startAt", 0);
    absl::StatusOr<int> max = call.IntParam("maxResults", 50);
    if (!start.ok()) return start.status();
    if (!max.ok()) return max.status();
    p.start_at = *start;
    p.max_results = *max;
    p.next_page_token = call.Param("nextPageToken");
    p.fields = call.Param("fields");
    p.expand = call.Param("expand");
    p.properties = call.Param("properties");
    for (absl::string_view id :
         absl::StrSplit(call.Param("reconcileIssues"), ',', absl::SkipEmpty())) {
      int64_t n = 0;
      if (absl::SimpleAtoi(id, &n)) p.reconcile.insert(n);
    }
    return p;
  }
  absl::StatusOr<json> body = call.JsonBody();
  if (!body.ok()) return body.status();
  p.jql = body->value("jql", std::string());
  p.start_at = body->value("startAt", 0);
  p.max_results = body->value("maxResults", 50);
  p.next_page_token = body->value("nextPageToken", json()).is_string()
                          ? (*body)["nextPageToken"].get<std::string>()
                          : "";
  p.fields = Flatten(body->value("fields", json()));
  p.expand = Flatten(body->value("expand", json()));
  p.properties = Flatten(body->value("properties", json()));
  for (const json& id : body->value("reconcileIssues", json::array())) {
    if (id.is_number_integer()) p.reconcile.insert(id.get<int64_t>());
  }
  return p;
}

IssueExtras Extras(const Call& call, const SearchParams& p) {
  IssueExtras extras;
  extras.changelog = p.expand.find("changelog") != std::string::npos;
  extras.transitions = p.expand.find("transitions") != std::string::npos;
  extras.transition_fields = p.expand.find("transitions.fields") != std::string::npos;
  extras.caller = &call.caller;
  extras.properties = absl::StrSplit(p.properties, ',', absl::SkipEmpty());
  return extras;
}

// nextPageToken: the offset of the next page, bound to the query.
std::string EncodeToken(const std::string& jql, int offset) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("ferry:", offset, ":", std::hash<std::string>()(jql)));
}

absl::StatusOr<int> DecodeToken(const std::string& jql,
                                const std::string& token) {
  std::string raw;
  std::vector<std::string> parts;
  int offset = 0;
  if (absl::WebSafeBase64Unescape(token, &raw)) {
    parts = absl::StrSplit(raw, ':');
  }
  if (parts.size() != 3 || parts[0] != "ferry" ||
      !absl::SimpleAtoi(parts[1], &offset) ||
      parts[2] != std::to_string(std::hash<std::string>()(jql))) {
    return absl::InvalidArgumentError(
        "The provided next page token is invalid or expired; start again "
        "without nextPageToken, with the same jql.");
  }
  return offset;
}

Reply OffsetSearch(const Call& call, Store& store) {
  if (call.view.dialect == Dialect::kCloud) {
    Reply reply = Reply::Json(410, {{"errorMessages", {kRemovedSearch}}});
    return reply;
  }
  absl::StatusOr<SearchParams> p = ReadParams(call);
  if (!p.ok()) return Reply::Error(p.status());
  SearchOptions options;
  options.jql = p->jql;
  options.start_at = std::max(0, p->start_at);
  options.max_results = std::clamp(p->max_results, 0, kDcMaxResults);
  return store.Read([&](const State& s) {
    absl::StatusOr<SearchPage> page = Search(s, call.caller, options, call.now);
    if (!page.ok()) return Reply::Error(page.status());
    FieldSelection fields(p->fields, "*navigable");
    IssueExtras extras = Extras(call, *p);
    json issues = json::array();
    for (const Issue* issue : page->issues) {
      issues.push_back(IssueJson(call.view, s, *issue, fields, extras));
    }
    return Reply::Json(200, {{"expand", "schema,names"},
                             {"startAt", options.start_at},
                             {"maxResults", options.max_results},
                             {"total", page->total},
                             {"issues", issues}});
  });
}

Reply TokenSearch(const Call& call, HandlerEnv& env) {
  if (call.view.dialect != Dialect::kCloud) {
    return Reply::Error(absl::NotFoundError(
        "No REST resource answers /search/jql in Jira Data Center; use "
        "/search with startAt."));
  }
  absl::StatusOr<SearchParams> p = ReadParams(call);
  if (!p.ok()) return Reply::Error(p.status());
  SearchOptions options;
  options.jql = p->jql;
  options.require_bounded = true;
  options.index_lag = absl::Milliseconds(env.index_lag_ms.load());
  options.reconcile_ids = p->reconcile;
  if (!p->next_page_token.empty()) {
    absl::StatusOr<int> offset = DecodeToken(p->jql, p->next_page_token);
    if (!offset.ok()) return Reply::Error(offset.status());
    options.start_at = *offset;
  }
  FieldSelection fields(p->fields, "id");
  int cap = fields.IdOnly() ? kCloudMaxIds : kCloudMaxWithFields;
  options.max_results = std::clamp(p->max_results, 1, cap);
  return env.store->Read([&](const State& s) {
    absl::StatusOr<SearchPage> page = Search(s, call.caller, options, call.now);
    if (!page.ok()) return Reply::Error(page.status());
    IssueExtras extras = Extras(call, *p);
    json issues = json::array();
    for (const Issue* issue : page->issues) {
      issues.push_back(IssueJson(call.view, s, *issue, fields, extras));
    }
    int next = options.start_at + static_cast<int>(page->issues.size());
    bool last = next >= page->total;
    json out = {{"issues", issues}, {"isLast", last}};
    if (!last) out["nextPageToken"] = EncodeToken(p->jql, next);
    return Reply::Json(200, out);
  });
}

}  // namespace

void RegisterSearchRoutes(Router& router, HandlerEnv& env) {
  Store& store = *env.store;
  for (const char* method : {"GET", "POST"}) {
    router.Add(method, "/search",
               [&store](const Call& call) { return OffsetSearch(call, store); });
    router.Add(method, "/search/jql",
               [&env](const Call& call) { return TokenSearch(call, env); });
  }
  router.Add("POST", "/search/approximate-count", [&env](const Call& call) {
    if (call.view.dialect != Dialect::kCloud) {
      return Reply::Error(absl::NotFoundError(
          "No REST resource answers /search/approximate-count in Jira Data "
          "Center."));
    }
    absl::StatusOr<json> body = call.JsonBody();
    if (!body.ok()) return Reply::Error(body.status());
    SearchOptions options;
    options.jql = body->value("jql", std::string());
    options.require_bounded = true;
    options.max_results = 0;
    options.index_lag = absl::Milliseconds(env.index_lag_ms.load());
    return env.store->Read([&](const State& s) {
      absl::StatusOr<SearchPage> page = Search(s, call.caller, options, call.now);
      if (!page.ok()) return Reply::Error(page.status());
      return Reply::Json(200, {{"count", page->total}});
    });
  });
}

}  // namespace ferry::jira_sim
