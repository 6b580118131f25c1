#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ferry::jira {

// Markdown (how PagerDuty notes are written) <-> Atlassian Document Format,
// for the subset jira_wiki.h also speaks, so that Markdown written to Jira
// (as ADF on Cloud, as wiki through AdfToWikiExact on Data Center) reads
// back as the same string:
//   blocks:  one paragraph per line (an empty line is an empty paragraph),
//            "# "…"###### " headings, "> " quotes, "- " bullet items,
//            "1. ", "2. "… numbered items (numbered from 1 in each list),
//            "---" rules, ``` fenced code (no language, not empty);
//   inline:  **strong**, _emphasis_, ~~strike~~, `code`, [text](url) with
//            an http(s):// or mailto: url.
// A mark opens at the start of a line or after a space (code and links
// anywhere); its text is not empty, does not start or end with a space and
// holds no character that would end the Jira wiki form early (* in strong,
// _ in emphasis, - in strike, "}}" or a final } in code, ] or | in link
// text). Marks do not nest. Everything else is literal text. Pure
// functions.
//
// Promise: for every string s, AdfToMarkdown(MarkdownToAdf(s)) == s, and
// CommentMarkdown(AdfToWikiExact(MarkdownToAdf(s))) == s unless s has a
// backslash before one of * _ - { [ # . (jira_wiki.h's escapes) or ` ~
// (Markdown marks that become { and - in wiki): wiki has no way to write
// such a backslash, so the document comes back without its marks.

nlohmann::json MarkdownToAdf(absl::string_view markdown);

// ADF as Markdown. Documents from MarkdownToAdf give their source back;
// others (written in Jira's editor) their nearest Markdown: mentions as
// their text, cards as their url, hard breaks as line breaks, nodes
// outside the subset as their content.
std::string AdfToMarkdown(const nlohmann::json& document);

// A comment or rich-text body as Jira returns it, as Markdown: a JSON
// string is wiki markup (Data Center, REST v2), read with WikiToAdf; an
// object is ADF (Cloud, REST v3). Anything else gives "".
std::string CommentMarkdown(const nlohmann::json& body);

}  // namespace ferry::jira
