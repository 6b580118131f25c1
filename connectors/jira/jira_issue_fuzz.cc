// Fuzzes an issue (GET /issue, or one issue of a search) made an Entity,
// as Cloud (ADF, accountId) and as Data Center (wiki, user key) send it.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "connectors/jira/jira_fields.h"
#include "http/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto issue = ferry::http::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!issue.ok()) return 0;
  (void)ferry::jira::EntityFromIssue(*issue, "jira", true);
  (void)ferry::jira::EntityFromIssue(*issue, "jira", false);
  return 0;
}
