#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ferry::jira {

// Plain text (or wiki markup, kept as literal text) as an Atlassian Document
// Format document: one paragraph per line, an empty line an empty
// paragraph, so AdfToText gives the same text back.
nlohmann::json TextToAdf(absl::string_view text);

// The text of an ADF document: text nodes, hard breaks as "\n", mentions by
// their display text, links by their URL; paragraphs, headings and code
// blocks end a line (lists, quotes and tables hold those). Marks (bold,
// ...) are dropped. A JSON string (a v2 body) is returned as it is; anything
// else gives "".
std::string AdfToText(const nlohmann::json& document);

}  // namespace ferry::jira
