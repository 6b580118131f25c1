// Fuzzes changelogs as the reader reads them: an issue's expanded
// `changelog.histories`, or a page of Cloud's GET /issue/{id}/changelog
// (`values`); each history's time and author, and each item made a
// FieldChange.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "connectors/jira/jira_fields.h"
#include "http/json_fields.h"

namespace {

void ReadHistory(const nlohmann::json& history, bool cloud) {
  auto when = ferry::jira::ParseJiraTime(ferry::http::StringOr(history, "created"));
  if (!when.ok()) return;
  const ferry::v1::UserRef author =
      ferry::jira::UserFromJson(ferry::http::MemberOrNull(history, "author"), cloud);
  for (const nlohmann::json& item : ferry::http::MemberOrNull(history, "items")) {
    ferry::jira::FieldChangeFromItem(item, author, *when);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = ferry::http::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!body.ok()) return 0;
  const ferry::http::JsonReader reader(*body, "jira GET /issue/10001");
  if (auto histories = ferry::jira::HistoriesOldestFirst(reader); histories.ok()) {
    for (const nlohmann::json& history : *histories) {
      ReadHistory(history, true);
      ReadHistory(history, false);
    }
  }
  if (auto values = reader.OptionalArray("values"); values.ok()) {
    for (const ferry::http::JsonReader& history : *values) ReadHistory(history.json(), true);
  }
  return 0;
}
