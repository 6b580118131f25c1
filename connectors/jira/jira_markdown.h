#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ferry::jira {

// Markdown (how PagerDuty notes and comment templates are written) <->
// Atlassian Document Format. Markdown is parsed by libcmark, the
// CommonMark reference parser, and ADF is rendered from its tree:
//   blocks:  paragraphs (one ADF paragraph per line, an empty line an empty
//            paragraph), "# "…"###### " headings, "> " quotes, "- " bullet
//            and "1. " numbered lists (nested by indenting under the item,
//            a list may start at another number), "---" rules, ``` fenced
//            code (with or without a language);
//   inline:  **strong**, _emphasis_, ~~strike~~ (not CommonMark: read from
//            the text), `code`, [text](url), nested in one another
//            ("**bold _and italic_**", "[**bold link**](url)").
// A block counts as formatting only when ADF rendered back as Markdown
// (AdfToMarkdown) gives its source exactly; otherwise (other spellings of
// the same thing: "*em*", "* item", "***", setext headings, escapes and
// entities, loose lists; and what ADF cannot hold: images, HTML blocks,
// link titles) its lines stay literal text. Pure functions; thread-safe.
//
// Promise: for every string s, AdfToMarkdown(MarkdownToAdf(s)) == s, and
// CommentMarkdown(MarkdownWikiExact(MarkdownToAdf(s))) == s unless s has a
// backslash before one of the characters jira_wiki.h escapes or before `
// (a Markdown mark that becomes {{ in wiki): wiki has no way to write such
// a backslash, so the document comes back without its marks.

nlohmann::json MarkdownToAdf(absl::string_view markdown);

// ADF as Markdown. Documents from MarkdownToAdf give their source back;
// others (written in Jira's editor) their nearest Markdown: mentions as
// their text, cards as their url, hard breaks as line breaks, marks
// Markdown has no syntax for (underline, colours) left out, nodes outside
// the list above as their content.
std::string AdfToMarkdown(const nlohmann::json& document);

// A comment or rich-text body as Jira returns it, as Markdown: a JSON
// string is wiki markup (Data Center, REST v2), read with WikiToAdf; an
// object is ADF (Cloud, REST v3). Anything else gives "".
std::string CommentMarkdown(const nlohmann::json& body);

// `document` as Data Center wiki that CommentMarkdown reads back as
// AdfToMarkdown(document): AdfToWikiExact (jira_wiki.h) when wiki holds
// its formatting; otherwise (a code block's language, a list starting
// past 1, an item of several blocks, a mark inside a word) the Markdown
// itself, as literal text.
std::string MarkdownWikiExact(const nlohmann::json& document);

}  // namespace ferry::jira
