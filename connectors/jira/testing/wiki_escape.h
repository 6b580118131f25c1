#pragma once

#include "absl/strings/string_view.h"

namespace ferry::jira::testing {

// True when `text` has a backslash before a character Jira wiki markup
// escapes (* _ - + ^ ~ ! | { [ # . ?) or before a Markdown code mark (`,
// which becomes {{): for such text MarkdownWikiExact and AdfToWikiExact
// drop marks (jira_wiki.h, jira_markdown.h), so a document holding it does
// not read back the same.
// Works on raw text and on a document's JSON dump alike (where a backslash
// is written twice, the second one is found before the character).
inline bool HasWikiEscape(absl::string_view text) {
  for (size_t i = text.find('\\'); i != absl::string_view::npos && i + 1 < text.size();
       i = text.find('\\', i + 1)) {
    if (absl::string_view("*_-+^~!|{[#.?`").find(text[i + 1]) != absl::string_view::npos) return true;
  }
  return false;
}

}  // namespace ferry::jira::testing
