// Comments: paged list, add, get, edit, delete; comment properties set on
// create, shown with expand=properties and read one by one.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

#include "tools/jira_sim/comment_ops.h"
#include "tools/jira_sim/handlers.h"
#include "tools/jira_sim/issue_ops.h"
#include "tools/jira_sim/rich_fields.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr char kComments[] = "/issue/([^/]+)/comment";
constexpr char kComment[] = "/issue/([^/]+)/comment/([^/]+)";
constexpr char kCommentProperty[] = "/comment/([^/]+)/properties/([^/]+)";

struct CommentBody {
  std::string wiki;
  json adf;  // as written on v3; null on v2
  json visibility;
  json properties;  // [{"key", "value"}...] or null
};

// Whether the request's `expand` list names `what`.
bool Expands(const Call& call, absl::string_view what) {
  for (absl::string_view item : absl::StrSplit(call.Param("expand"), ',')) {
    if (item == what) return true;
  }
  return false;
}

absl::StatusOr<CommentBody> ReadComment(const Call& call) {
  absl::StatusOr<json> body = call.JsonBody();
  if (!body.ok()) return body.status();
  absl::StatusOr<std::string> wiki =
      CommentBodyToWiki(call.view, body->value("body", json()));
  if (!wiki.ok()) return wiki.status();
  json adf = call.view.api_version == 3 ? body->value("body", json()) : json();
  json properties = body->value("properties", json());
  if (properties.is_array()) {
    absl::Status checked = CheckProperties(properties);
    if (!checked.ok()) return checked;
  }
  return CommentBody{*wiki, std::move(adf), body->value("visibility", json()),
                     std::move(properties)};
}

}  // namespace

void RegisterCommentRoutes(Router& router, HandlerEnv& env) {
  Store& store = *env.store;
  router.Add("GET", kComments, [&store](const Call& call) {
    int fallback = call.view.dialect == Dialect::kCloud ? 100 : 50;
    absl::StatusOr<int> start = call.IntParam("startAt", 0);
    absl::StatusOr<int> max = call.IntParam("maxResults", fallback);
    if (!start.ok()) return Reply::Error(start.status());
    if (!max.ok()) return Reply::Error(max.status());
    std::string order = call.Param("orderBy");
    const bool with_properties = Expands(call, "properties");
    return store.Read([&](const State& s) {
      absl::StatusOr<const Issue*> issue =
          VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      std::vector<const Comment*> comments;
      for (const Comment& c : (*issue)->comments) comments.push_back(&c);
      if (order == "-created") std::reverse(comments.begin(), comments.end());
      json page = json::array();
      int total = static_cast<int>(comments.size());
      for (int i = std::max(0, *start); i < total && i < *start + *max; ++i) {
        page.push_back(
            CommentJson(call.view, s, **issue, *comments[i], with_properties));
      }
      return Reply::Json(200, {{"startAt", *start},
                               {"maxResults", *max},
                               {"total", total},
                               {"comments", page}});
    });
  });
  router.Add("POST", kComments, [&store](const Call& call) {
    absl::StatusOr<CommentBody> body = ReadComment(call);
    if (!body.ok()) return Reply::Error(body.status());
    return store.Write([&](State& s) {
      absl::StatusOr<Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      absl::StatusOr<int64_t> id = AddComment(s, call.caller, **issue, body->wiki,
                                              body->visibility, call.now);
      if (!id.ok()) return Reply::Error(id.status());
      Comment& added = (*issue)->comments.back();
      added.adf = body->adf;
      // Checked by ReadComment, so nothing is added half-done.
      if (body->properties.is_array()) {
        SetProperties(added.properties, body->properties).IgnoreError();
      }
      return Reply::Json(201, CommentJson(call.view, s, **issue, added,
                                          Expands(call, "properties")));
    });
  });
  router.Add("GET", kComment, [&store](const Call& call) {
    return store.Read([&](const State& s) {
      absl::StatusOr<const Issue*> issue =
          VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      for (const Comment& c : (*issue)->comments) {
        if (std::to_string(c.id) == call.args[1]) {
          return Reply::Json(
              200, CommentJson(call.view, s, **issue, c, Expands(call, "properties")));
        }
      }
      return Reply::Error(absl::NotFoundError(
          "Can not find a comment for the id: " + call.args[1] + "."));
    });
  });
  router.Add("PUT", kComment, [&store](const Call& call) {
    absl::StatusOr<CommentBody> body = ReadComment(call);
    if (!body.ok()) return Reply::Error(body.status());
    return store.Write([&](State& s) {
      absl::StatusOr<Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      absl::Status updated =
          UpdateComment(s, call.caller, **issue, call.args[1], body->wiki,
                        body->visibility, call.now);
      if (!updated.ok()) return Reply::Error(updated);
      Comment* comment = *FindComment(**issue, call.args[1]);
      comment->adf = body->adf;
      return Reply::Json(200, CommentJson(call.view, s, **issue, *comment));
    });
  });
  // A comment's property by comment id alone, as Jira serves it; 404 with
  // Jira's wording for an unknown comment, one the caller may not see, or
  // a key the comment lacks.
  router.Add("GET", kCommentProperty, [&store](const Call& call) {
    return store.Read([&](const State& s) {
      for (const auto& [issue_id, issue] : s.issues) {
        for (const Comment& c : issue.comments) {
          if (std::to_string(c.id) != call.args[0]) continue;
          if (!VisibleIssue(s, call.caller, std::to_string(issue_id)).ok()) break;
          auto it = c.properties.find(call.args[1]);
          if (it == c.properties.end()) {
            return Reply::Error(absl::NotFoundError(absl::StrCat(
                "The property with key '", call.args[1], "' does not exist.")));
          }
          return Reply::Json(200, {{"key", it->first}, {"value", it->second}});
        }
      }
      return Reply::Error(absl::NotFoundError(
          "Can not find a comment for the id: " + call.args[0] + "."));
    });
  });
  router.Add("DELETE", kComment, [&store](const Call& call) {
    return store.Write([&](State& s) {
      absl::StatusOr<Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      absl::Status deleted =
          DeleteComment(s, call.caller, **issue, call.args[1], call.now);
      return deleted.ok() ? Reply::NoContent() : Reply::Error(deleted);
    });
  });
}

}  // namespace ferry::jira_sim
