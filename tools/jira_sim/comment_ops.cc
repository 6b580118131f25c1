#include "tools/jira_sim/comment_ops.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "tools/jira_sim/errors.h"
#include "tools/jira_sim/search_index.h"

namespace ferry::jira_sim {
namespace {

absl::Status CheckBody(const std::string& body) {
  if (absl::StripAsciiWhitespace(body).empty()) {
    return FieldErrors({{"comment", "Comment body can not be empty!"}});
  }
  return absl::OkStatus();
}

absl::Status CheckMayChange(const User& caller, const Comment& comment) {
  if (comment.author_id == caller.account_id || caller.permissions.edit) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "You do not have the permission to edit or delete this comment.");
}

}  // namespace

absl::StatusOr<int64_t> AddComment(State& state, const User& caller,
                                   Issue& issue, const std::string& body,
                                   const nlohmann::json& visibility,
                                   absl::Time now) {
  if (!caller.permissions.comment) {
    return absl::PermissionDeniedError(
        "You do not have the permission to comment on this issue.");
  }
  absl::Status checked = CheckBody(body);
  if (!checked.ok()) return checked;
  Comment comment;
  comment.id = state.next_comment_id++;
  comment.author_id = comment.update_author_id = caller.account_id;
  comment.body = body;
  comment.created = comment.updated = now;
  comment.visibility = visibility;
  issue.comments.push_back(std::move(comment));
  TouchIssue(state, issue, now);
  return issue.comments.back().id;
}

absl::StatusOr<Comment*> FindComment(Issue& issue,
                                     const std::string& comment_id) {
  for (Comment& comment : issue.comments) {
    if (absl::StrCat(comment.id) == comment_id) return &comment;
  }
  return absl::NotFoundError(
      absl::StrCat("Can not find a comment for the id: ", comment_id, "."));
}

absl::Status UpdateComment(State& state, const User& caller, Issue& issue,
                           const std::string& comment_id,
                           const std::string& body,
                           const nlohmann::json& visibility, absl::Time now) {
  absl::StatusOr<Comment*> comment = FindComment(issue, comment_id);
  if (!comment.ok()) return comment.status();
  absl::Status allowed = CheckMayChange(caller, **comment);
  if (!allowed.ok()) return allowed;
  absl::Status checked = CheckBody(body);
  if (!checked.ok()) return checked;
  (*comment)->body = body;
  if (!visibility.is_null()) (*comment)->visibility = visibility;
  (*comment)->update_author_id = caller.account_id;
  (*comment)->updated = now;
  TouchIssue(state, issue, now);
  return absl::OkStatus();
}

absl::Status DeleteComment(State& state, const User& caller, Issue& issue,
                           const std::string& comment_id, absl::Time now) {
  absl::StatusOr<Comment*> comment = FindComment(issue, comment_id);
  if (!comment.ok()) return comment.status();
  absl::Status allowed = CheckMayChange(caller, **comment);
  if (!allowed.ok()) return allowed;
  issue.comments.erase(std::remove_if(issue.comments.begin(),
                                      issue.comments.end(),
                                      [&](const Comment& c) {
                                        return &c == *comment;
                                      }),
                       issue.comments.end());
  TouchIssue(state, issue, now);
  return absl::OkStatus();
}

absl::Status CheckUpdateComments(const User& caller,
                                 const nlohmann::json& update) {
  if (!update.is_object() || !update.contains("comment")) {
    return absl::OkStatus();
  }
  const nlohmann::json& ops = update["comment"];
  if (!ops.is_array()) {
    return FieldErrors({{"comment", "Comment update must be an array."}});
  }
  for (const nlohmann::json& op : ops) {
    if (!op.is_object() || !op.contains("add") || !op["add"].is_object() ||
        !op["add"].value("body", nlohmann::json()).is_string()) {
      return FieldErrors({{"comment",
                           "Comment update takes [{\"add\": {\"body\": "
                           "\"...\"}}]."}});
    }
    absl::Status body = CheckBody(op["add"]["body"].get<std::string>());
    if (!body.ok()) return body;
  }
  if (!ops.empty() && !caller.permissions.comment) {
    return absl::PermissionDeniedError(
        "You do not have the permission to comment on this issue.");
  }
  return absl::OkStatus();
}

void AddUpdateComments(State& state, const User& caller, Issue& issue,
                       const nlohmann::json& update, absl::Time now) {
  if (!update.is_object() || !update.contains("comment")) return;
  for (const nlohmann::json& op : update["comment"]) {
    // Checked by CheckUpdateComments: cannot fail.
    AddComment(state, caller, issue, op["add"]["body"].get<std::string>(),
               op["add"].value("visibility", nlohmann::json()), now)
        .IgnoreError();
  }
}

}  // namespace ferry::jira_sim
