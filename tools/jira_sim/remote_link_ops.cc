#include "tools/jira_sim/remote_link_ops.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "tools/jira_sim/errors.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

absl::Status CheckWrite(const User& caller, const json& body) {
  if (!caller.permissions.edit) {
    return absl::PermissionDeniedError(
        "You do not have permission to link issues.");
  }
  std::map<std::string, std::string> errors;
  const json object = body.is_object() ? body.value("object", json()) : json();
  if (!object.is_object() || !object.value("url", json()).is_string()) {
    errors["url"] = "'url' is required: give object.url.";
  }
  if (!object.is_object() || !object.value("title", json()).is_string()) {
    errors["title"] = "'title' is required: give object.title.";
  }
  const json global_id = body.is_object() ? body.value("globalId", json()) : json();
  if (global_id.is_string() &&
      global_id.get<std::string>().size() > kMaxGlobalIdLength) {
    errors["globalId"] = absl::StrCat("The global ID must be at most ", kMaxGlobalIdLength,
                                      " characters long.");
  }
  if (!errors.empty()) return FieldErrors(errors);
  return absl::OkStatus();
}

void Fill(RemoteLink& link, const json& body) {
  link.global_id = body.value("globalId", std::string());
  link.application = body.value("application", json());
  link.relationship = body.value("relationship", json());
  link.object = body["object"];
}

absl::StatusOr<RemoteLink*> FindLink(Issue& issue, const std::string& id) {
  for (RemoteLink& link : issue.remote_links) {
    if (absl::StrCat(link.id) == id) return &link;
  }
  return absl::NotFoundError(
      absl::StrCat("No remote link with id '", id, "' on issue ", issue.key));
}

}  // namespace

absl::StatusOr<UpsertResult> UpsertRemoteLink(State& state, const User& caller,
                                              Issue& issue,
                                              const nlohmann::json& body) {
  absl::Status checked = CheckWrite(caller, body);
  if (!checked.ok()) return checked;
  std::string global_id = body.value("globalId", std::string());
  if (!global_id.empty()) {
    for (RemoteLink& link : issue.remote_links) {
      if (link.global_id == global_id) {
        Fill(link, body);
        return UpsertResult{link.id, false};
      }
    }
  }
  RemoteLink link;
  link.id = state.next_remote_link_id++;
  Fill(link, body);
  issue.remote_links.push_back(link);
  return UpsertResult{link.id, true};
}

absl::Status UpdateRemoteLink(const User& caller, Issue& issue,
                              const std::string& link_id,
                              const nlohmann::json& body) {
  absl::StatusOr<RemoteLink*> link = FindLink(issue, link_id);
  if (!link.ok()) return link.status();
  absl::Status checked = CheckWrite(caller, body);
  if (!checked.ok()) return checked;
  Fill(**link, body);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<const RemoteLink*>> ListRemoteLinks(
    const Issue& issue, const std::string& global_id) {
  std::vector<const RemoteLink*> links;
  for (const RemoteLink& link : issue.remote_links) {
    if (global_id.empty() || link.global_id == global_id) {
      links.push_back(&link);
    }
  }
  if (!global_id.empty() && links.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "No remote link with global id '", global_id, "' on issue ",
        issue.key));
  }
  return links;
}

absl::StatusOr<const RemoteLink*> GetRemoteLink(const Issue& issue,
                                                const std::string& link_id) {
  for (const RemoteLink& link : issue.remote_links) {
    if (absl::StrCat(link.id) == link_id) return &link;
  }
  return absl::NotFoundError(
      absl::StrCat("No remote link with id '", link_id, "' on issue ",
                   issue.key));
}

absl::Status DeleteRemoteLink(const User& caller, Issue& issue,
                              const std::string& link_id,
                              const std::string& global_id) {
  if (!caller.permissions.edit) {
    return absl::PermissionDeniedError(
        "You do not have permission to link issues.");
  }
  auto& links = issue.remote_links;
  auto it = std::find_if(links.begin(), links.end(), [&](const RemoteLink& l) {
    return link_id.empty() ? l.global_id == global_id
                           : absl::StrCat(l.id) == link_id;
  });
  if (it == links.end()) {
    return absl::NotFoundError(absl::StrCat(
        "No remote link with ", link_id.empty() ? "global id '" : "id '",
        link_id.empty() ? global_id : link_id, "' on issue ", issue.key));
  }
  links.erase(it);
  return absl::OkStatus();
}

}  // namespace ferry::jira_sim
