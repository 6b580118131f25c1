// Fuzzes a page of GET /log_entries as the reader reads it: the page, each
// entry's shape and time, whether it is a change to sync, and the change
// it becomes (with its embedded incident standing for the fetched one).
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_log_translation.h"
#include "http/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ferry::pagerduty;
  auto body = ferry::http::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!body.ok()) return 0;
  auto page = ParseListPage(*body, "GET /log_entries", "log_entries");
  if (!page.ok()) return 0;
  ChangeContext context;
  context.system = "pd";
  context.project = "PSVC1";
  context.integration = "i";
  context.me_id = "PME";
  context.status_updates_as_comments = true;
  for (const nlohmann::json& entry : page->items) {
    if (!CheckLogEntry(ferry::http::JsonReader(entry, "GET /log_entries")).ok()) continue;
    if (!LogEntryTime(entry).ok()) continue;
    if (!ChangedIncidentId(entry, context.me_id, context.project).has_value()) continue;
    const nlohmann::json& incident = ferry::http::MemberOrNull(entry, "incident");
    FirstTriggerId(incident);
    (void)LogEntryToChange(entry, incident, {}, context);
  }
  return 0;
}
