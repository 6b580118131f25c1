#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace ferry::jira_sim {

// Conversions between Jira wiki markup (how the simulator stores rich text,
// and what /rest/api/2 reads and writes) and Atlassian Document Format
// (what Cloud's /rest/api/3 reads and writes).
//
// Covered both ways: paragraphs (blank-line separated, single newlines as
// hardBreak), headings (h1.–h6.), bullet (*) and numbered (#) lists one
// level deep, {code[:lang]} blocks, {quote} blocks, rules (----), and the
// marks strong (*x*), em (_x_), code ({{x}}), strike (-x-), underline (+x+)
// and links ([text|url]). Other ADF nodes keep their text; mentions become
// [~accountid:ID]. Round trips of the covered subset are exact.

// Wiki markup to an ADF document ({"type":"doc","version":1,...}).
nlohmann::json WikiToAdf(const std::string& wiki);

// An ADF document to wiki markup. Fails with InvalidArgument and Jira's
// "Operation value must be an Atlassian Document" message when `adf` is
// not a doc node of version 1 with a content array.
absl::StatusOr<std::string> AdfToWiki(const nlohmann::json& adf);

}  // namespace ferry::jira_sim
