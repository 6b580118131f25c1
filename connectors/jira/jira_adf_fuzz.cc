// Fuzzes the conversions of an ADF document Jira Cloud sends (a
// description, a comment body) to Markdown and to wiki markup.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "connectors/jira/jira_markdown.h"
#include "connectors/jira/jira_wiki.h"
#include "http/json_fields.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto document = ferry::http::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!document.ok()) return 0;
  ferry::jira::AdfToMarkdown(*document);
  ferry::jira::CommentMarkdown(*document);
  ferry::jira::AdfToWiki(*document);
  ferry::jira::AdfToWikiExact(*document);
  return 0;
}
