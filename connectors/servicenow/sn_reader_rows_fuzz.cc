// Fuzzes the rows a ServiceNow reader reads (an answer's `result` list of
// incident, sys_audit or sys_journal_field rows, and a checkpoint's
// tie-breaker and cursor): each parsed, turned into an entity, field
// change or comment, or refused with a status; none may throw or crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "connectors/servicenow/sn_reader_position.h"
#include "connectors/servicenow/sn_reader_rows.h"
#include "http/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  ferry::v1::SourcePosition position;
  position.set_tie_breaker(std::string(text.substr(0, text.find('|'))));
  position.set_cursor(std::string(text));
  if (auto mark = ferry::servicenow::ReadMark::FromPosition(position); mark.ok()) {
    mark->Advance({mark->second(), "fuzz", 1});
  }
  auto body = ferry::http::ParseJson(text, "fuzz");
  if (!body.ok()) return 0;
  const ferry::http::JsonReader reader(*body, "servicenow GET /api/now/table/x");
  auto rows = reader.OptionalArray("result");
  if (!rows.ok()) return 0;
  for (const ferry::http::JsonReader& row : *rows) {
    if (auto audit = ferry::servicenow::ParseAuditRow(row.json(), "fuzz"); audit.ok()) {
      ferry::servicenow::FieldChangeOf(*audit);
    }
    if (auto entry = ferry::servicenow::ParseJournalRow(row.json(), "fuzz"); entry.ok()) {
      ferry::servicenow::CommentOf(*entry);
    }
    (void)ferry::servicenow::EntityOfIncident(row.json(), "sn", "incident", "", "fuzz");
  }
  return 0;
}
