// Fuzzes Jira Data Center's wiki markup (descriptions, comment bodies)
// converted to ADF and rendered back, and checks jira_wiki.h's promise:
// AdfToWikiExact of WikiToAdf's document reads back as the same document
// (unless its text has a backslash before a markup character).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "connectors/jira/jira_markdown.h"
#include "connectors/jira/jira_wiki.h"
#include "connectors/jira/testing/wiki_escape.h"
#include "tools/fuzz/promise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view wiki(reinterpret_cast<const char*>(data), size);
  const nlohmann::json adf = ferry::jira::WikiToAdf(wiki);
  ferry::jira::AdfToWiki(adf);
  ferry::jira::AdfToMarkdown(adf);
  ferry::jira::CommentMarkdown(nlohmann::json(std::string(wiki)));
  const std::string exact = ferry::jira::AdfToWikiExact(adf);
  if (!ferry::jira::testing::HasWikiEscape(adf.dump(-1, ' ', false,
                                                    nlohmann::json::error_handler_t::replace))) {
    ferry::fuzz::ExpectSameJson(ferry::jira::WikiToAdf(exact), adf,
                                "WikiToAdf(AdfToWikiExact(WikiToAdf(wiki))) == WikiToAdf(wiki)");
  }
  return 0;
}
