#include "connectors/jira/jira_text.h"

#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

// Blocks that hold inline content end a line; containers (lists, quotes,
// panels, tables) hold such blocks and end none of their own.
bool IsBlock(const std::string& type) {
  return type == "paragraph" || type == "heading" || type == "codeBlock" ||
         type == "rule";
}

// Appends the inline text of `node` to `line`, ending lines into `lines` at
// block boundaries.
void Collect(const json& node, std::string* line,
             std::vector<std::string>* lines) {
  if (!node.is_object()) return;
  const std::string type = node.value("type", "");
  const json& attrs = node.value("attrs", json::object());
  if (type == "text") {
    line->append(node.value("text", ""));
  } else if (type == "hardBreak") {
    lines->push_back(*line);
    line->clear();
  } else if (type == "mention" || type == "emoji") {
    line->append(attrs.value("text", attrs.value("shortName", "")));
  } else if (type == "inlineCard") {
    line->append(attrs.value("url", ""));
  }
  for (const json& child : node.value("content", json::array())) {
    const bool block = child.is_object() && IsBlock(child.value("type", ""));
    Collect(child, line, lines);
    if (block) {
      lines->push_back(*line);
      line->clear();
    }
  }
}

}  // namespace

json TextToAdf(absl::string_view text) {
  json content = json::array();
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    json paragraph = {{"type", "paragraph"}, {"content", json::array()}};
    if (!line.empty()) {
      paragraph["content"].push_back(
          {{"type", "text"}, {"text", std::string(line)}});
    }
    content.push_back(std::move(paragraph));
  }
  return {{"type", "doc"}, {"version", 1}, {"content", content}};
}

std::string AdfToText(const json& document) {
  if (document.is_string()) return document.get<std::string>();
  if (!document.is_object()) return "";
  std::vector<std::string> lines;
  std::string line;
  Collect(document, &line, &lines);
  if (!line.empty()) lines.push_back(line);
  return absl::StrJoin(lines, "\n");
}

}  // namespace ferry::jira
