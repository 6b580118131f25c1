// Fuzzes Markdown from the other system (PagerDuty notes, descriptions)
// converted to ADF and rendered to wiki markup, and checks the promises of
// jira_markdown.h and jira_wiki.h: Markdown and literal text survive their
// round trips (the wiki ones unless the text has a backslash before a
// character wiki escapes).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "connectors/jira/jira_markdown.h"
#include "connectors/jira/jira_wiki.h"
#include "connectors/jira/testing/wiki_escape.h"
#include "tools/fuzz/promise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ferry::jira;
  const std::string markdown(reinterpret_cast<const char*>(data), size);
  const nlohmann::json adf = MarkdownToAdf(markdown);
  ferry::fuzz::ExpectPromise(AdfToMarkdown(adf), markdown,
                             "AdfToMarkdown(MarkdownToAdf(s)) == s");
  const nlohmann::json text = TextToAdf(markdown);
  ferry::fuzz::ExpectPromise(AdfToWiki(text), markdown, "AdfToWiki(TextToAdf(s)) == s");
  // Wiki has no way to write a backslash before a character it escapes.
  if (testing::HasWikiEscape(markdown)) return 0;
  ferry::fuzz::ExpectPromise(CommentMarkdown(nlohmann::json(MarkdownWikiExact(adf))), markdown,
                             "CommentMarkdown(MarkdownWikiExact(MarkdownToAdf(s))) == s");
  ferry::fuzz::ExpectSameJson(WikiToAdf(AdfToWikiExact(text)), text,
                              "WikiToAdf(AdfToWikiExact(TextToAdf(s))) == TextToAdf(s)");
  return 0;
}
