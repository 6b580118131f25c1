#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ferry::jira {

// Jira wiki markup <-> Atlassian Document Format, for the subset people
// write in comments and descriptions, so rich text reads the same on Data
// Center (wiki) and Cloud (ADF):
//   blocks:  paragraphs (one per line), "h1. "…"h6. " headings, "* "/"- "
//            bullet and "# " numbered list items, "bq. " quotes,
//            {code}…{code} blocks, "----" rules;
//   inline:  *strong*, _emphasis_, {{code}}, -strike-, [text|url], [url].
// Anything else stays literal text. Marks do not nest. For this subset
// WikiToAdf then AdfToWiki gives the same markup back. Pure functions.

nlohmann::json WikiToAdf(absl::string_view wiki);

// Literal text (plain text, Markdown) as ADF: one paragraph per line, no
// markup interpreted; AdfToWiki gives the same text back.
nlohmann::json TextToAdf(absl::string_view text);

// ADF as wiki markup; mentions become [~accountid:<id>], cards [url], and
// nodes outside the subset their text. A JSON string (a v2 body) is
// returned as it is; anything else gives "".
std::string AdfToWiki(const nlohmann::json& document);

}  // namespace ferry::jira
