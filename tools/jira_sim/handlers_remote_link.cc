// Remote issue links, with globalId upsert.
#include <string>

#include "absl/strings/str_cat.h"
#include "tools/jira_sim/handlers.h"
#include "tools/jira_sim/issue_ops.h"
#include "tools/jira_sim/remote_link_ops.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr char kLinks[] = "/issue/([^/]+)/remotelink";
constexpr char kLink[] = "/issue/([^/]+)/remotelink/([^/]+)";

std::string LinkSelf(const View& view, const Issue& issue, int64_t id) {
  return view.Api(absl::StrCat("/issue/", issue.id, "/remotelink/", id));
}

json LinkJson(const View& view, const Issue& issue, const RemoteLink& link) {
  json out = {{"id", link.id}, {"self", LinkSelf(view, issue, link.id)}};
  if (!link.global_id.empty()) out["globalId"] = link.global_id;
  if (!link.application.is_null()) out["application"] = link.application;
  if (!link.relationship.is_null()) out["relationship"] = link.relationship;
  out["object"] = link.object;
  return out;
}

}  // namespace

void RegisterRemoteLinkRoutes(Router& router, HandlerEnv& env) {
  Store& store = *env.store;
  router.Add("POST", kLinks, [&store](const Call& call) {
    absl::StatusOr<json> body = call.JsonBody();
    if (!body.ok()) return Reply::Error(body.status());
    return store.Write([&](State& s) {
      absl::StatusOr<Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      absl::StatusOr<UpsertResult> result =
          UpsertRemoteLink(s, call.caller, **issue, *body);
      if (!result.ok()) return Reply::Error(result.status());
      return Reply::Json(result->created ? 201 : 200,
                         {{"id", result->id},
                          {"self", LinkSelf(call.view, **issue, result->id)}});
    });
  });
  router.Add("GET", kLinks, [&store](const Call& call) {
    std::string global_id = call.Param("globalId");
    return store.Read([&](const State& s) {
      absl::StatusOr<const Issue*> issue =
          VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      absl::StatusOr<std::vector<const RemoteLink*>> links =
          ListRemoteLinks(**issue, global_id);
      if (!links.ok()) return Reply::Error(links.status());
      if (!global_id.empty()) {
        return Reply::Json(200, LinkJson(call.view, **issue, *links->front()));
      }
      json out = json::array();
      for (const RemoteLink* link : *links) {
        out.push_back(LinkJson(call.view, **issue, *link));
      }
      return Reply::Json(200, out);
    });
  });
  router.Add("DELETE", kLinks, [&store](const Call& call) {
    std::string global_id = call.Param("globalId");
    if (global_id.empty()) {
      return Reply::Error(absl::InvalidArgumentError(
          "Give the link to delete as ?globalId=<id> or in the path."));
    }
    return store.Write([&](State& s) {
      absl::StatusOr<Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      absl::Status deleted = DeleteRemoteLink(call.caller, **issue, "", global_id);
      return deleted.ok() ? Reply::NoContent() : Reply::Error(deleted);
    });
  });
  router.Add("GET", kLink, [&store](const Call& call) {
    return store.Read([&](const State& s) {
      absl::StatusOr<const Issue*> issue =
          VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      absl::StatusOr<const RemoteLink*> link = GetRemoteLink(**issue, call.args[1]);
      if (!link.ok()) return Reply::Error(link.status());
      return Reply::Json(200, LinkJson(call.view, **issue, **link));
    });
  });
  router.Add("PUT", kLink, [&store](const Call& call) {
    absl::StatusOr<json> body = call.JsonBody();
    if (!body.ok()) return Reply::Error(body.status());
    return store.Write([&](State& s) {
      absl::StatusOr<Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      absl::Status updated =
          UpdateRemoteLink(call.caller, **issue, call.args[1], *body);
      return updated.ok() ? Reply::NoContent() : Reply::Error(updated);
    });
  });
  router.Add("DELETE", kLink, [&store](const Call& call) {
    return store.Write([&](State& s) {
      absl::StatusOr<Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      absl::Status deleted =
          DeleteRemoteLink(call.caller, **issue, call.args[1], "");
      return deleted.ok() ? Reply::NoContent() : Reply::Error(deleted);
    });
  });
}

}  // namespace ferry::jira_sim
