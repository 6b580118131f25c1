#include "connectors/jira/issue_place.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "connectors/jira/jira_fields.h"
#include "connectors/jira/transition_screen.h"
#include "http/json_fields.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

// The status change among `history`'s items, or null.
const json* StatusItem(const json& history) {
  const json& items = http::MemberOrNull(history, "items");
  if (!items.is_array()) return nullptr;
  for (const json& item : items) {
    const std::string field = http::StringOr(item, "fieldId");
    if (field == "status" ||
        (field.empty() && absl::AsciiStrToLower(http::StringOr(item, "field")) == "status")) {
      return &item;
    }
  }
  return nullptr;
}

}  // namespace

bool SameStatus(absl::string_view a, absl::string_view b) {
  return absl::EqualsIgnoreCase(a, b);
}

absl::StatusOr<IssuePlace> IssuePlaceFromIssue(const json& issue,
                                               absl::string_view ferry_history_type,
                                               absl::string_view where) {
  const http::JsonReader reader(issue, std::string(where));
  auto fields = reader.RequireObject("fields");
  if (!fields.ok()) return fields.status();
  auto status_json = fields->RequireObject("status");
  if (!status_json.ok()) return status_json.status();
  auto current = status_json->RequireString("name");
  if (!current.ok()) return current.status();
  auto transitions = ParseTransitions(reader);
  if (!transitions.ok()) return transitions.status();
  auto histories = HistoriesOldestFirst(reader);
  if (!histories.ok()) return histories.status();

  IssuePlace place;
  place.id = http::StringOr(issue, "id");
  place.key = http::StringOr(issue, "key", place.id);
  place.project = http::StringOr(http::MemberOrNull(fields->json(), "project"), "key");
  place.type = http::StringOr(http::MemberOrNull(fields->json(), "issuetype"), "name");
  place.status = *std::move(current);
  place.created_in = place.status;
  place.transitions = *std::move(transitions);
  bool first = true;
  for (const json& history : *histories) {
    const json* item = StatusItem(history);
    if (item == nullptr) continue;
    if (first) place.created_in = http::StringOr(*item, "fromString", place.created_in);
    first = false;
    const json& metadata = http::MemberOrNull(history, "historyMetadata");
    place.moved_by_others = http::StringOr(metadata, "type") != ferry_history_type;
  }
  return place;
}

}  // namespace ferry::jira
