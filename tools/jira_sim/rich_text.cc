#include "tools/jira_sim/rich_text.h"

#include <cctype>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

// ---- wiki -> ADF ---------------------------------------------------------

struct InlineMark {
  const char* open;
  const char* close;
  const char* type;
};

constexpr InlineMark kMarks[] = {
    {"{{", "}}", "code"}, {"*", "*", "strong"}, {"_", "_", "em"},
    {"-", "-", "strike"}, {"+", "+", "underline"},
};

json Text(const std::string& text, json marks = json()) {
  json node = {{"type", "text"}, {"text", text}};
  if (marks.is_array() && !marks.empty()) node["marks"] = std::move(marks);
  return node;
}

// A mark opens at `i` when the marker is followed by a non-space and closes
// later on the same line before a non-word character.
bool FindMark(const std::string& s, size_t i, const InlineMark& mark,
              size_t* close_at) {
  std::string open = mark.open;
  if (s.compare(i, open.size(), open) != 0) return false;
  size_t start = i + open.size();
  if (start >= s.size() || s[start] == ' ') return false;
  if (i > 0 && std::isalnum(static_cast<unsigned char>(s[i - 1])) &&
      open.size() == 1) {
    return false;
  }
  size_t end = s.find(mark.close, start);
  if (end == std::string::npos || end == start || s[end - 1] == ' ') {
    return false;
  }
  *close_at = end;
  return true;
}

void AppendInline(const std::string& s, json& out) {
  std::string plain;
  auto flush = [&] {
    if (!plain.empty()) out.push_back(Text(plain));
    plain.clear();
  };
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '[') {
      size_t end = s.find(']', i);
      if (end != std::string::npos) {
        std::string inner = s.substr(i + 1, end - i - 1);
        std::vector<std::string> parts = absl::StrSplit(inner, '|');
        if (parts.size() <= 2 && !parts.back().empty() && inner[0] != '~') {
          flush();
          std::string href = parts.back();
          // "[|url]" shows the url, as "[url]" does: ADF text is never empty.
          out.push_back(Text(parts.front().empty() ? href : parts.front(),
                             json::array({{{"type", "link"},
                                           {"attrs", {{"href", href}}}}})));
          i = end + 1;
          continue;
        }
        if (!inner.empty() && absl::StartsWith(inner, "~accountid:")) {
          flush();
          std::string id(absl::StripPrefix(inner, "~accountid:"));
          out.push_back({{"type", "mention"}, {"attrs", {{"id", id}}}});
          i = end + 1;
          continue;
        }
      }
    }
    bool marked = false;
    for (const InlineMark& mark : kMarks) {
      size_t close = 0;
      if (!FindMark(s, i, mark, &close)) continue;
      flush();
      size_t start = i + std::string(mark.open).size();
      out.push_back(Text(s.substr(start, close - start),
                         json::array({{{"type", mark.type}}})));
      i = close + std::string(mark.close).size();
      marked = true;
      break;
    }
    if (!marked) plain.push_back(s[i++]);
  }
  flush();
}

json Paragraph(const std::vector<std::string>& lines) {
  json content = json::array();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) content.push_back({{"type", "hardBreak"}});
    AppendInline(lines[i], content);
  }
  return {{"type", "paragraph"}, {"content", content}};
}

// The blocks of a {quote} as ADF lets a blockquote hold them: headings
// become paragraphs, rules are dropped, nested quotes are flattened, and
// an empty quote holds one empty paragraph.
json QuoteContent(const json& document) {
  json content = json::array();
  for (json block : document["content"]) {
    const std::string type = block.value("type", std::string());
    if (type == "rule") continue;
    if (type == "blockquote") {
      for (const json& inner : block["content"]) content.push_back(inner);
      continue;
    }
    if (type == "heading") {
      block["type"] = "paragraph";
      block.erase("attrs");
    }
    content.push_back(std::move(block));
  }
  if (content.empty()) content.push_back({{"type", "paragraph"}, {"content", json::array()}});
  return content;
}

bool ListItem(const std::string& line, char bullet, std::string* text) {
  if (line.size() < 2 || line[0] != bullet || line[1] != ' ') return false;
  *text = line.substr(2);
  return true;
}

// ---- ADF -> wiki ---------------------------------------------------------

std::string InlineToWiki(const json& nodes);

std::string MarkText(const json& node) {
  std::string text = node.value("text", std::string());
  if (!node.contains("marks")) return text;
  for (const json& mark : node["marks"]) {
    std::string type = mark.value("type", std::string());
    if (type == "link") {
      text = absl::StrCat("[", text, "|",
                          mark["attrs"].value("href", std::string()), "]");
      continue;
    }
    for (const InlineMark& m : kMarks) {
      if (type == m.type) text = absl::StrCat(m.open, text, m.close);
    }
  }
  return text;
}

std::string InlineToWiki(const json& nodes) {
  std::string out;
  for (const json& node : nodes) {
    std::string type = node.value("type", std::string());
    if (type == "text") {
      out += MarkText(node);
    } else if (type == "hardBreak") {
      out += "\n";
    } else if (type == "mention") {
      out += absl::StrCat("[~accountid:",
                          node["attrs"].value("id", std::string()), "]");
    } else if (type == "emoji") {
      out += node["attrs"].value("shortName", std::string());
    } else if (node.contains("content")) {
      out += InlineToWiki(node["content"]);
    }
  }
  return out;
}

std::string BlockToWiki(const json& node) {
  std::string type = node.value("type", std::string());
  json content = node.value("content", json::array());
  if (type == "heading") {
    int level = node.value("attrs", json::object()).value("level", 1);
    return absl::StrCat("h", level, ". ", InlineToWiki(content));
  }
  if (type == "bulletList" || type == "orderedList") {
    std::vector<std::string> items;
    for (const json& item : content) {
      std::vector<std::string> parts;
      for (const json& block : item.value("content", json::array())) {
        parts.push_back(InlineToWiki(block.value("content", json::array())));
      }
      items.push_back(absl::StrCat(type == "bulletList" ? "* " : "# ",
                                   absl::StrJoin(parts, " ")));
    }
    return absl::StrJoin(items, "\n");
  }
  if (type == "codeBlock") {
    std::string language =
        node.value("attrs", json::object()).value("language", std::string());
    return absl::StrCat(language.empty() ? "{code}" : "{code:" + language + "}",
                        "\n", InlineToWiki(content), "\n{code}");
  }
  if (type == "blockquote") {
    std::vector<std::string> inner;
    for (const json& block : content) inner.push_back(BlockToWiki(block));
    return absl::StrCat("{quote}\n", absl::StrJoin(inner, "\n\n"), "\n{quote}");
  }
  if (type == "rule") return "----";
  return InlineToWiki(content);
}

}  // namespace

nlohmann::json WikiToAdf(const std::string& wiki) {
  json blocks = json::array();
  std::vector<std::string> lines = absl::StrSplit(wiki, '\n');
  std::vector<std::string> paragraph;
  auto flush = [&] {
    if (!paragraph.empty()) blocks.push_back(Paragraph(paragraph));
    paragraph.clear();
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line(absl::StripSuffix(lines[i], "\r"));
    std::string item;
    if (line.empty()) {
      flush();
    } else if (line.size() > 3 && line[0] == 'h' && line[1] >= '1' &&
               line[1] <= '6' && line[2] == '.' && line[3] == ' ') {
      flush();
      json content = json::array();
      AppendInline(line.substr(4), content);
      blocks.push_back({{"type", "heading"},
                        {"attrs", {{"level", line[1] - '0'}}},
                        {"content", content}});
    } else if (line == "----") {
      flush();
      blocks.push_back({{"type", "rule"}});
    } else if (absl::StartsWith(line, "{code") || line == "{quote}") {
      flush();
      bool code = absl::StartsWith(line, "{code");
      std::string closer = code ? "{code}" : "{quote}";
      std::vector<std::string> body;
      for (++i; i < lines.size() && lines[i] != closer; ++i) {
        body.push_back(lines[i]);
      }
      if (code) {
        const std::string text = absl::StrJoin(body, "\n");
        json block = {{"type", "codeBlock"}, {"content", json::array()}};
        if (!text.empty()) block["content"].push_back(Text(text));
        if (line.size() > 7) {
          block["attrs"] = {{"language", line.substr(6, line.size() - 7)}};
        }
        blocks.push_back(block);
      } else {
        blocks.push_back({{"type", "blockquote"},
                          {"content", QuoteContent(WikiToAdf(absl::StrJoin(body, "\n")))}});
      }
    } else if (ListItem(line, '*', &item) || ListItem(line, '#', &item)) {
      flush();
      char bullet = line[0];
      json items = json::array();
      for (; i < lines.size() && ListItem(lines[i], bullet, &item); ++i) {
        items.push_back({{"type", "listItem"},
                         {"content", json::array({Paragraph({item})})}});
      }
      --i;
      blocks.push_back({{"type", bullet == '*' ? "bulletList" : "orderedList"},
                        {"content", items}});
    } else {
      paragraph.push_back(line);
    }
  }
  flush();
  return {{"type", "doc"}, {"version", 1}, {"content", blocks}};
}

absl::StatusOr<std::string> AdfToWiki(const nlohmann::json& adf) {
  if (!adf.is_object() || adf.value("type", std::string()) != "doc" ||
      adf.value("version", 0) != 1 || !adf.contains("content") ||
      !adf["content"].is_array()) {
    return absl::InvalidArgumentError(
        "Operation value must be an Atlassian Document (see the Atlassian "
        "Document Format)");
  }
  std::vector<std::string> blocks;
  for (const json& block : adf["content"]) blocks.push_back(BlockToWiki(block));
  return absl::StrJoin(blocks, "\n\n");
}

}  // namespace ferry::jira_sim
