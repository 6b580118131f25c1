#include "connectors/jira/jira_markdown.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "connectors/jira/jira_wiki.h"
#include "http/json_fields.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

constexpr char kFence[] = "```";

bool IsUrl(absl::string_view url) {
  return (absl::StartsWith(url, "http://") || absl::StartsWith(url, "https://") ||
          absl::StartsWith(url, "mailto:")) &&
         url.find_first_of(" ]") == absl::string_view::npos;
}

// Marked text: not empty, no space at either end, none of `forbidden`.
bool GoodSpan(absl::string_view text, absl::string_view forbidden = "") {
  return !text.empty() && text.front() != ' ' && text.back() != ' ' &&
         text.find_first_of(forbidden) == absl::string_view::npos;
}

// A mark delimited by `open` and `close` at `i`, opening at a word start:
// the index of its closing delimiter, or npos.
size_t MarkEnd(absl::string_view line, size_t i, absl::string_view open,
               absl::string_view close, absl::string_view forbidden) {
  if (!absl::StartsWith(line.substr(i), open) || (i > 0 && line[i - 1] != ' ')) {
    return absl::string_view::npos;
  }
  const size_t start = i + open.size();
  const size_t end = line.find(close, start);
  if (end == absl::string_view::npos ||
      !GoodSpan(line.substr(start, end - start), forbidden)) {
    return absl::string_view::npos;
  }
  return end;
}

struct InlineMark {
  const char* open;
  const char* mark;
  // Characters that would end the Jira wiki form of the mark early.
  const char* forbidden;
};
constexpr InlineMark kMarks[] = {
    {"**", "strong", "*"}, {"_", "em", "_"}, {"~~", "strike", "-"}};

json Inline(absl::string_view line) {
  json nodes = json::array();
  std::string plain;
  auto add = [&](json node) {
    if (!plain.empty()) nodes.push_back(AdfText(std::move(plain)));
    plain.clear();
    nodes.push_back(std::move(node));
  };
  for (size_t i = 0; i < line.size();) {
    if (line[i] == '`') {
      const size_t end = line.find('`', i + 1);
      if (end != absl::string_view::npos) {
        absl::string_view code = line.substr(i + 1, end - i - 1);
        if (GoodSpan(code) && code.back() != '}' &&
            code.find("}}") == absl::string_view::npos) {
          add(AdfText(std::string(code), "code"));
          i = end + 1;
          continue;
        }
      }
    }
    if (line[i] == '[') {
      const size_t close = line.find("](", i + 1);
      const size_t paren = close == absl::string_view::npos
                               ? absl::string_view::npos
                               : line.find(')', close + 2);
      if (paren != absl::string_view::npos) {
        absl::string_view text = line.substr(i + 1, close - i - 1);
        absl::string_view url = line.substr(close + 2, paren - close - 2);
        if (!text.empty() && text.find_first_of("]|") == absl::string_view::npos &&
            IsUrl(url)) {
          add(AdfText(std::string(text), "link", {{"href", std::string(url)}}));
          i = paren + 1;
          continue;
        }
      }
    }
    bool marked = false;
    for (const InlineMark& m : kMarks) {
      const absl::string_view open = m.open;
      const size_t end = MarkEnd(line, i, open, open, m.forbidden);
      if (end == absl::string_view::npos) continue;
      add(AdfText(std::string(line.substr(i + open.size(), end - i - open.size())),
                  m.mark));
      i = end + open.size();
      marked = true;
      break;
    }
    if (marked) continue;
    plain.push_back(line[i]);
    ++i;
  }
  if (!plain.empty()) nodes.push_back(AdfText(std::move(plain)));
  return nodes;
}

json Paragraph(absl::string_view text) {
  return {{"type", "paragraph"}, {"content", Inline(text)}};
}

// "N. " with N written plainly: N, or 0 when `line` is no numbered item.
int ItemNumber(absl::string_view* line) {
  const size_t dot = line->find(". ");
  if (dot == 0 || dot == absl::string_view::npos || dot > 9) return 0;
  int n = 0;
  for (char c : line->substr(0, dot)) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  if (absl::StrCat(n) != line->substr(0, dot)) return 0;
  line->remove_prefix(dot + 2);
  return n;
}

// The index of the fence closing the code block opened at `open`, or 0
// when there is none (or the block would be empty or could not be written
// as wiki).
size_t FenceEnd(const std::vector<absl::string_view>& lines, size_t open) {
  for (size_t j = open + 1; j < lines.size(); ++j) {
    if (lines[j] == kFence) return j == open + 1 ? 0 : j;
    if (absl::StartsWith(lines[j], "{code}")) return 0;
  }
  return 0;
}

std::string InlineMarkdown(const json& nodes);

std::string NodeMarkdown(const json& node) {
  const std::string type = http::StringOr(node, "type");
  const json& attrs = http::MemberOrNull(node, "attrs");
  if (type == "text") {
    std::string text = http::StringOr(node, "text");
    for (const json& mark : http::MemberOrNull(node, "marks")) {
      const std::string m = http::StringOr(mark, "type");
      if (m == "strong") text = absl::StrCat("**", text, "**");
      if (m == "em") text = absl::StrCat("_", text, "_");
      if (m == "strike") text = absl::StrCat("~~", text, "~~");
      if (m == "code") text = absl::StrCat("`", text, "`");
      if (m == "link") {
        text = absl::StrCat("[", text, "](",
                            http::StringOr(http::MemberOrNull(mark, "attrs"), "href"), ")");
      }
    }
    return text;
  }
  if (type == "hardBreak") return "\n";
  if (type == "mention") {
    return attrs.contains("text") ? http::StringOr(attrs, "text")
                                  : absl::StrCat("@", http::StringOr(attrs, "id"));
  }
  if (type == "inlineCard") return http::StringOr(attrs, "url");
  if (type == "emoji") return http::StringOr(attrs, "shortName");
  return InlineMarkdown(http::MemberOrNull(node, "content"));
}

std::string InlineMarkdown(const json& nodes) {
  std::string out;
  for (const json& node : nodes) out += NodeMarkdown(node);
  return out;
}

void BlockMarkdown(const json& node, const std::string& prefix,
                   std::vector<std::string>* lines) {
  const std::string type = http::StringOr(node, "type");
  const json& content = http::MemberOrNull(node, "content");
  const json& attrs = http::MemberOrNull(node, "attrs");
  if (type == "paragraph") {
    lines->push_back(prefix + InlineMarkdown(content));
  } else if (type == "heading") {
    // ADF headings have levels 1 to 6; a wild one must not size a string.
    const int64_t level = std::clamp<int64_t>(http::IntOr(attrs, "level", 1), 1, 6);
    lines->push_back(absl::StrCat(std::string(level, '#'), " ", InlineMarkdown(content)));
  } else if (type == "codeBlock") {
    lines->push_back(kFence);
    lines->push_back(InlineMarkdown(content));
    lines->push_back(kFence);
  } else if (type == "rule") {
    lines->push_back("---");
  } else if (type == "blockquote") {
    for (const json& child : content) BlockMarkdown(child, "> ", lines);
  } else if (type == "bulletList" || type == "orderedList") {
    int number = http::IntOr(attrs, "order", 1);
    for (const json& item : content) {
      const std::string item_prefix =
          type == "bulletList" ? "- " : absl::StrCat(number++, ". ");
      for (const json& child : http::MemberOrNull(item, "content")) {
        BlockMarkdown(child, item_prefix, lines);
      }
    }
  } else {
    for (const json& child : content) BlockMarkdown(child, prefix, lines);
  }
}

}  // namespace

json MarkdownToAdf(absl::string_view markdown) {
  json content = json::array();
  json* list = nullptr;
  std::string list_type;
  int items = 0;
  std::vector<absl::string_view> lines = absl::StrSplit(markdown, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    absl::string_view line = lines[i];
    std::string item_type;
    absl::string_view item = line;
    if (absl::ConsumePrefix(&item, "- ")) {
      item_type = "bulletList";
    } else {
      const int expected = list_type == "orderedList" ? items + 1 : 1;
      absl::string_view numbered = line;
      if (ItemNumber(&numbered) == expected) {
        item_type = "orderedList";
        item = numbered;
      }
    }
    if (!item_type.empty()) {
      if (list == nullptr || list_type != item_type) {
        content.push_back({{"type", item_type}, {"content", json::array()}});
        list = &content.back();
        list_type = item_type;
        items = 0;
      }
      (*list)["content"].push_back(
          {{"type", "listItem"}, {"content", json::array({Paragraph(item)})}});
      ++items;
      continue;
    }
    list = nullptr;
    list_type.clear();
    if (line == kFence) {
      if (const size_t end = FenceEnd(lines, i); end > 0) {
        std::vector<absl::string_view> code(lines.begin() + i + 1, lines.begin() + end);
        json block = {{"type", "codeBlock"}, {"content", json::array()}};
        std::string text = absl::StrJoin(code, "\n");
        if (!text.empty()) block["content"].push_back(AdfText(std::move(text)));
        content.push_back(std::move(block));
        i = end;
        continue;
      }
    }
    const size_t hashes = line.find_first_not_of('#');
    if (hashes >= 1 && hashes <= 6 && hashes != absl::string_view::npos &&
        line[hashes] == ' ') {
      json heading = Paragraph(line.substr(hashes + 1));
      heading["type"] = "heading";
      heading["attrs"] = {{"level", static_cast<int>(hashes)}};
      content.push_back(std::move(heading));
    } else if (line == "---") {
      content.push_back({{"type", "rule"}});
    } else if (absl::ConsumePrefix(&line, "> ")) {
      content.push_back(
          {{"type", "blockquote"}, {"content", json::array({Paragraph(line)})}});
    } else {
      content.push_back(Paragraph(line));
    }
  }
  return {{"type", "doc"}, {"version", 1}, {"content", content}};
}

std::string AdfToMarkdown(const json& document) {
  if (!document.is_object()) return "";
  std::vector<std::string> lines;
  for (const json& block : http::MemberOrNull(document, "content")) {
    BlockMarkdown(block, "", &lines);
  }
  return absl::StrJoin(lines, "\n");
}

std::string CommentMarkdown(const json& body) {
  if (body.is_string()) return AdfToMarkdown(WikiToAdf(body.get<std::string>()));
  return AdfToMarkdown(body);
}

}  // namespace ferry::jira
