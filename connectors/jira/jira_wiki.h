#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ferry::jira {

// Jira wiki markup <-> Atlassian Document Format, for the subset people
// write in comments and descriptions, so rich text reads the same on Data
// Center (wiki) and Cloud (ADF):
//   blocks:  paragraphs (one per line), "h1. "…"h6. " headings, "* "/"- "
//            bullet and "# " numbered list items, nested by repeating
//            markers ("** ", "#* "), "bq. " quotes, {code}…{code} blocks,
//            "----" rules;
//   inline:  *strong*, _emphasis_, {{code}}, -strike-, [text|url], [url].
//   escapes: a backslash before * _ - + ^ ~ ? ! | { [ # . makes it
//            literal (every character Jira's wiki gives a meaning).
// Anything else stays literal text. Marks nest ("*bold _and em_*",
// "[*bold*|url]"). For this subset,
// escapes aside, WikiToAdf then AdfToWiki gives the same markup back. Pure
// functions.

nlohmann::json WikiToAdf(absl::string_view wiki);

// An ADF text node with at most one mark (and its attrs), as the functions
// here build them.
nlohmann::json AdfText(std::string text, const char* mark = nullptr,
                       const nlohmann::json& attrs = nullptr);

// A mark of an ADF text node as Markdown and wiki write it: its type and,
// for a link, its href.
struct TextMark {
  std::string type;
  std::string href;
  bool operator==(const TextMark& other) const {
    return type == other.type && href == other.href;
  }
};

// The marks of ADF text `node` that Markdown and wiki have syntax for,
// outermost first as both nest them: link, strong, em, strike, code.
// Others (underline, colours) are left out.
std::vector<TextMark> WrittenMarksOf(const nlohmann::json& node);

// Inline ADF nodes written with each mark opened once around the
// neighbours that share it ("*a _b_ c*" in wiki, "**a _b_ c**" in
// Markdown): `marks_of` gives the marks a node is written with, outermost
// first; `opening` and `closing` a mark's delimiters; `body` the node
// itself (its text, a mention, a line break...).
std::string WriteMarked(
    const nlohmann::json& nodes,
    const std::function<std::vector<TextMark>(const nlohmann::json&)>& marks_of,
    const std::function<std::string(const TextMark&)>& opening,
    const std::function<std::string(const TextMark&)>& closing,
    const std::function<std::string(const nlohmann::json&)>& body);

// Literal text as ADF: one paragraph per line, no markup interpreted;
// AdfToWiki gives the same text back, AdfToWikiExact that text escaped so
// that wiki reads it as literal text too.
nlohmann::json TextToAdf(absl::string_view text);

// ADF as wiki markup; mentions become [~accountid:<id>], cards [url], and
// nodes outside the subset their text. A JSON string (a v2 body) is
// returned as it is; anything else gives "".
std::string AdfToWiki(const nlohmann::json& document);

// ADF built by WikiToAdf, TextToAdf or MarkdownToAdf (jira_markdown.h) as
// wiki markup that WikiToAdf reads back as the same document: like
// AdfToWiki, but every markup character of unmarked text (* _ - + ^ ~ !
// | { [, the first ? of "??", and "# ", "h1. ", "bq. " starting a line) is
// escaped with a backslash, since Jira renders more markup than WikiToAdf
// reads ("[#anchor]", "!image.png!"); when even that reads back
// differently (a backslash already before one of them, a mark's text that
// wiki cannot delimit), marks are dropped and the text escaped.
std::string AdfToWikiExact(const nlohmann::json& document);

}  // namespace ferry::jira
