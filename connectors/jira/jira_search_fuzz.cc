// Fuzzes a search answer as JiraApi::Search reads it, in both dialects:
// Cloud's POST /search/jql (nextPageToken, isLast) and Data Center's
// POST /search (startAt, total).
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "connectors/jira/jira_api.h"
#include "http/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto page = ferry::http::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!page.ok()) return 0;
  (void)ferry::jira::ParseSearchPage(*page, "jira POST /rest/api/3/search/jql", true, 0);
  (void)ferry::jira::ParseSearchPage(*page, "jira POST /rest/api/2/search", false, 50);
  return 0;
}
