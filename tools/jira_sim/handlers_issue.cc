// Issues: create, get, edit, transitions, properties and the Cloud
// changelog endpoint.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/jira_sim/errors.h"
#include "tools/jira_sim/handlers.h"
#include "tools/jira_sim/issue_ops.h"
#include "tools/jira_sim/rich_fields.h"
#include "tools/jira_sim/workflow.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr char kIssue[] = "/issue/([^/]+)";
constexpr int kChangelogPageDefault = 100;

// Parses a create/edit/transition body into an IssueWrite (rich text in
// stored form).
absl::StatusOr<IssueWrite> ReadWrite(const Call& call, const State& state) {
  absl::StatusOr<json> body = call.JsonBody();
  if (!body.ok()) return body.status();
  absl::Status normalized = NormalizeRichText(call.view, state, *body);
  if (!normalized.ok()) return normalized;
  IssueWrite write;
  if (body->contains("fields")) write.fields = (*body)["fields"];
  if (!write.fields.is_object()) {
    return absl::InvalidArgumentError("'fields' must be an object.");
  }
  write.update = body->value("update", json());
  write.properties = body->value("properties", json());
  write.history_metadata = body->value("historyMetadata", json());
  return write;
}

IssueExtras Extras(const Call& call) {
  IssueExtras extras;
  std::string expand = call.Param("expand");
  extras.changelog = expand.find("changelog") != std::string::npos;
  extras.transitions = expand.find("transitions") != std::string::npos;
  extras.transition_fields =
      expand.find("transitions.fields") != std::string::npos;
  extras.caller = &call.caller;
  extras.properties =
      absl::StrSplit(call.Param("properties"), ',', absl::SkipEmpty());
  return extras;
}

// GET /issue/{key}: on Data Center the changelog it expands is complete.
Reply IssueReply(const Call& call, const State& state, const Issue& issue) {
  IssueExtras extras = Extras(call);
  extras.changelog_complete = call.view.dialect == Dialect::kDataCenter;
  return Reply::Json(200, IssueJson(call.view, state, issue,
                                    FieldSelection(call.Param("fields"), "*all"),
                                    extras));
}

std::string TransitionId(const json& body) {
  const json transition = body.value("transition", json());
  if (!transition.is_object() || !transition.contains("id")) return "";
  const json& id = transition["id"];
  return id.is_string() ? id.get<std::string>() : id.dump();
}

}  // namespace

void RegisterIssueRoutes(Router& router, HandlerEnv& env) {
  Store& store = *env.store;
  router.Add("POST", "/issue", [&store](const Call& call) {
    return store.Write([&](State& s) {
      absl::StatusOr<IssueWrite> write = ReadWrite(call, s);
      if (!write.ok()) return Reply::Error(write.status());
      absl::StatusOr<int64_t> id = CreateIssue(s, call.caller, *write, call.now);
      if (!id.ok()) return Reply::Error(id.status());
      std::string text = absl::StrCat(*id);
      return Reply::Json(201, {{"id", text},
                               {"key", s.issues.at(*id).key},
                               {"self", call.view.Api("/issue/" + text)}});
    });
  });
  router.Add("GET", kIssue, [&store](const Call& call) {
    return store.Read([&](const State& s) {
      absl::StatusOr<const Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      return IssueReply(call, s, **issue);
    });
  });
  router.Add("PUT", kIssue, [&store](const Call& call) {
    return store.Write([&](State& s) {
      absl::StatusOr<IssueWrite> write = ReadWrite(call, s);
      if (!write.ok()) return Reply::Error(write.status());
      absl::Status edited =
          EditIssue(s, call.caller, call.args[0], *write, call.now);
      if (!edited.ok()) return Reply::Error(edited);
      if (call.Param("returnIssue") == "true") {
        return IssueReply(call, s, *FindIssue(s, call.args[0]));
      }
      return Reply::NoContent();
    });
  });
  router.Add("GET", std::string(kIssue) + "/transitions", [&store](const Call& call) {
    return store.Read([&](const State& s) {
      absl::StatusOr<const Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      std::string only = call.Param("transitionId");
      const bool with_fields =
          call.Param("expand").find("transitions.fields") != std::string::npos;
      json transitions = json::array();
      for (const Transition* t : AvailableTransitions(s, call.caller, **issue)) {
        if (only.empty() || t->id == only) {
          transitions.push_back(TransitionJson(call.view, s, *t, with_fields));
        }
      }
      return Reply::Json(200, {{"expand", "transitions"},
                               {"transitions", transitions}});
    });
  });
  router.Add("POST", std::string(kIssue) + "/transitions", [&store](const Call& call) {
    return store.Write([&](State& s) {
      absl::StatusOr<json> body = call.JsonBody();
      if (!body.ok()) return Reply::Error(body.status());
      std::string id = TransitionId(*body);
      if (id.empty()) {
        return Reply::Error(absl::InvalidArgumentError(
            "Missing 'transition' identifier: give {\"transition\": {\"id\": "
            "\"<id>\"}}."));
      }
      absl::StatusOr<IssueWrite> write = ReadWrite(call, s);
      if (!write.ok()) return Reply::Error(write.status());
      absl::Status done =
          DoTransition(s, call.caller, call.args[0], id, *write, call.now);
      if (!done.ok()) return Reply::Error(done);
      return Reply::NoContent();
    });
  });
  router.Add("GET", std::string(kIssue) + "/properties", [&store](const Call& call) {
    return store.Read([&](const State& s) {
      absl::StatusOr<const Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      json keys = json::array();
      for (const auto& [key, unused] : (*issue)->properties) {
        keys.push_back(
            {{"self", call.view.Api(absl::StrCat("/issue/", (*issue)->id,
                                                 "/properties/", key))},
             {"key", key}});
      }
      return Reply::Json(200, {{"keys", keys}});
    });
  });
  const std::string property = std::string(kIssue) + "/properties/([^/]+)";
  router.Add("GET", property, [&store](const Call& call) {
    return store.Read([&](const State& s) {
      absl::StatusOr<const Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      auto it = (*issue)->properties.find(call.args[1]);
      if (it == (*issue)->properties.end()) {
        return Reply::Error(absl::NotFoundError(absl::StrCat(
            "The property with key '", call.args[1], "' does not exist.")));
      }
      return Reply::Json(200, {{"key", it->first}, {"value", it->second}});
    });
  });
  router.Add("PUT", property, [&store](const Call& call) {
    json value = json::parse(call.request->body, nullptr, false);
    if (value.is_discarded() || call.request->body.empty()) {
      return Reply::Error(absl::InvalidArgumentError(
          "The property value must be valid, non-empty JSON."));
    }
    return store.Write([&](State& s) {
      absl::StatusOr<bool> created =
          SetProperty(s, call.caller, call.args[0], call.args[1], value);
      if (!created.ok()) return Reply::Error(created.status());
      Reply reply = Reply::NoContent();
      reply.status = *created ? 201 : 200;
      return reply;
    });
  });
  router.Add("DELETE", property, [&store](const Call& call) {
    return store.Write([&](State& s) {
      absl::Status deleted =
          DeleteProperty(s, call.caller, call.args[0], call.args[1]);
      return deleted.ok() ? Reply::NoContent() : Reply::Error(deleted);
    });
  });
  router.Add("GET", std::string(kIssue) + "/changelog", [&store](const Call& call) {
    if (call.view.dialect != Dialect::kCloud) {
      return Reply::Error(absl::NotFoundError(
          "No REST resource answers GET /issue/{key}/changelog in Jira Data "
          "Center; use GET /issue/{key}?expand=changelog."));
    }
    absl::StatusOr<int> start = call.IntParam("startAt", 0);
    absl::StatusOr<int> max = call.IntParam("maxResults", kChangelogPageDefault);
    if (!start.ok()) return Reply::Error(start.status());
    if (!max.ok()) return Reply::Error(max.status());
    return store.Read([&](const State& s) {
      absl::StatusOr<const Issue*> issue = VisibleIssue(s, call.caller, call.args[0]);
      if (!issue.ok()) return Reply::Error(issue.status());
      const auto& log = (*issue)->changelog;
      int total = static_cast<int>(log.size());
      json values = json::array();
      for (int i = std::max(0, *start); i < total && i < *start + *max; ++i) {
        values.push_back(HistoryJson(call.view, s, log[i]));
      }
      std::string self = call.view.Api(absl::StrCat(
          "/issue/", (*issue)->id, "/changelog?maxResults=", *max,
          "&startAt="));
      bool last = *start + *max >= total;
      json page = {{"self", self + std::to_string(*start)},
                   {"maxResults", *max},
                   {"startAt", *start},
                   {"total", total},
                   {"isLast", last},
                   {"values", values}};
      if (!last) page["nextPage"] = self + std::to_string(*start + *max);
      return Reply::Json(200, page);
    });
  });
}

}  // namespace ferry::jira_sim
