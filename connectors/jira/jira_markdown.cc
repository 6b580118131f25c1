#include "connectors/jira/jira_markdown.h"

#include <cmark.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "connectors/jira/jira_wiki.h"
#include "http/json_fields.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

constexpr char kFence[] = "```";

// ---- ADF -> Markdown ------------------------------------------------------

std::string Opening(const TextMark& mark) {
  if (mark.type == "link") return "[";
  if (mark.type == "strong") return "**";
  if (mark.type == "em") return "_";
  if (mark.type == "strike") return "~~";
  return "`";
}

std::string Closing(const TextMark& mark) {
  if (mark.type == "link") return absl::StrCat("](", mark.href, ")");
  return Opening(mark);
}

std::string InlineMarkdown(const json& nodes);

// A node's own text, without its marks.
std::string NodeText(const json& node) {
  const std::string type = http::StringOr(node, "type");
  const json& attrs = http::MemberOrNull(node, "attrs");
  if (type == "text") return http::StringOr(node, "text");
  if (type == "hardBreak") return "\n";
  if (type == "mention") {
    return attrs.contains("text") ? http::StringOr(attrs, "text")
                                  : absl::StrCat("@", http::StringOr(attrs, "id"));
  }
  if (type == "inlineCard") return http::StringOr(attrs, "url");
  if (type == "emoji") return http::StringOr(attrs, "shortName");
  return InlineMarkdown(http::MemberOrNull(node, "content"));
}

// Inline nodes as Markdown (WriteMarked).
std::string InlineMarkdown(const json& nodes) {
  return WriteMarked(
      nodes,
      [](const json& node) {
        return http::StringOr(node, "type") == "text" ? WrittenMarksOf(node)
                                                      : std::vector<TextMark>();
      },
      Opening, Closing, NodeText);
}

void AddLines(absl::string_view text, std::vector<std::string>* lines) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) lines->emplace_back(line);
}

// The Markdown lines of one block.
std::vector<std::string> BlockLines(const json& node) {
  const std::string type = http::StringOr(node, "type");
  const json& content = http::MemberOrNull(node, "content");
  const json& attrs = http::MemberOrNull(node, "attrs");
  std::vector<std::string> lines;
  if (type == "paragraph") {
    AddLines(InlineMarkdown(content), &lines);
  } else if (type == "heading") {
    // ADF headings have levels 1 to 6; a wild one must not size a string.
    const int64_t level = std::clamp<int64_t>(http::IntOr(attrs, "level", 1), 1, 6);
    lines.push_back(absl::StrCat(std::string(level, '#'), " ", InlineMarkdown(content)));
  } else if (type == "codeBlock") {
    lines.push_back(absl::StrCat(kFence, http::StringOr(attrs, "language")));
    const std::string code = InlineMarkdown(content);
    if (!code.empty()) AddLines(code, &lines);
    lines.push_back(kFence);
  } else if (type == "rule") {
    lines.push_back("---");
  } else if (type == "blockquote") {
    for (const json& child : content) {
      for (const std::string& line : BlockLines(child)) lines.push_back("> " + line);
    }
  } else if (type == "bulletList" || type == "orderedList") {
    int64_t number = http::IntOr(attrs, "order", 1);
    for (const json& item : content) {
      const std::string marker =
          type == "bulletList" ? "- " : absl::StrCat(number++, ". ");
      bool first = true;
      for (const json& child : http::MemberOrNull(item, "content")) {
        for (const std::string& line : BlockLines(child)) {
          lines.push_back((first ? marker : std::string(marker.size(), ' ')) + line);
          first = false;
        }
      }
      if (first) lines.push_back(marker);
    }
  } else {
    for (const json& child : content) {
      for (std::string& line : BlockLines(child)) lines.push_back(std::move(line));
    }
  }
  return lines;
}

// ---- Markdown -> ADF, from libcmark's tree --------------------------------

struct TreeFree {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};

json Text(std::string text, const json& marks) {
  json node = {{"type", "text"}, {"text", std::move(text)}};
  if (!marks.empty()) node["marks"] = marks;
  return node;
}

bool HasMark(const json& marks, const char* type) {
  return std::any_of(marks.begin(), marks.end(),
                     [&](const json& m) { return http::StringOr(m, "type") == type; });
}

// The inline children of `parent` as ADF text nodes carrying `marks` and
// their own, and a null for each soft line break. False for what this
// conversion does not carry: images, hard line breaks, link titles, a mark
// inside itself, code inside marks other than a link (ADF forbids it).
bool Inlines(cmark_node* parent, const json& marks, json* out) {
  for (cmark_node* node = cmark_node_first_child(parent); node != nullptr;
       node = cmark_node_next(node)) {
    const char* literal = cmark_node_get_literal(node);
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_HTML_INLINE:
        if (literal != nullptr && *literal != '\0') out->push_back(Text(literal, marks));
        break;
      case CMARK_NODE_CODE: {
        if (literal == nullptr || *literal == '\0' ||
            std::any_of(marks.begin(), marks.end(), [](const json& m) {
              return http::StringOr(m, "type") != "link";
            })) {
          return false;
        }
        json with = marks;
        with.push_back({{"type", "code"}});
        out->push_back(Text(literal, with));
        break;
      }
      case CMARK_NODE_SOFTBREAK:
        out->push_back(nullptr);
        break;
      case CMARK_NODE_EMPH:
      case CMARK_NODE_STRONG: {
        const char* type = cmark_node_get_type(node) == CMARK_NODE_EMPH ? "em" : "strong";
        if (HasMark(marks, type)) return false;
        json with = marks;
        with.push_back({{"type", type}});
        if (!Inlines(node, with, out)) return false;
        break;
      }
      case CMARK_NODE_LINK: {
        const char* title = cmark_node_get_title(node);
        const char* url = cmark_node_get_url(node);
        if ((title != nullptr && *title != '\0') || url == nullptr || *url == '\0') {
          return false;
        }
        json with = marks;
        with.push_back({{"type", "link"}, {"attrs", {{"href", url}}}});
        if (!Inlines(node, with, out)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

// "~~text~~" in unmarked-by-code text as the strike mark (CommonMark has no
// strikethrough): it opens at the start of the text or after a space, and
// its text is not empty, does not start or end with a space and holds no
// "~~".
void AddStrikes(const json& node, json* out) {
  const json& given = http::MemberOrNull(node, "marks");
  const json marks = given.is_array() ? given : json::array();
  if (HasMark(marks, "code") || HasMark(marks, "strike")) {
    out->push_back(node);
    return;
  }
  const std::string text = http::StringOr(node, "text");
  std::string plain;
  for (size_t i = 0; i < text.size();) {
    const size_t end = text.compare(i, 2, "~~") == 0 && (i == 0 || text[i - 1] == ' ')
                           ? text.find("~~", i + 2)
                           : std::string::npos;
    if (end != std::string::npos && end > i + 2 && text[i + 2] != ' ' && text[end - 1] != ' ') {
      if (!plain.empty()) out->push_back(Text(std::move(plain), marks));
      plain.clear();
      json with = marks;
      with.push_back({{"type", "strike"}});
      out->push_back(Text(text.substr(i + 2, end - i - 2), with));
      i = end + 2;
      continue;
    }
    plain.push_back(text[i++]);
  }
  if (!plain.empty()) out->push_back(Text(std::move(plain), marks));
}

// One line's inline nodes: neighbouring text with the same marks joined
// (as Jira stores it), strikes found.
json LineContent(const json& nodes) {
  json joined = json::array();
  for (const json& node : nodes) {
    if (!joined.empty() && joined.back().value("marks", json()) == node.value("marks", json())) {
      joined.back()["text"] = http::StringOr(joined.back(), "text") + http::StringOr(node, "text");
    } else {
      joined.push_back(node);
    }
  }
  json out = json::array();
  for (const json& node : joined) AddStrikes(node, &out);
  return out;
}

json ParagraphOf(const json& content) {
  return {{"type", "paragraph"}, {"content", content}};
}

// A literal line as a paragraph.
json LiteralParagraph(absl::string_view line) {
  json content = json::array();
  if (!line.empty()) content.push_back(Text(std::string(line), json::array()));
  return ParagraphOf(content);
}

std::optional<std::vector<json>> Blocks(cmark_node* node);

// The blocks inside `parent`, each of `allowed` types; nullopt when any is
// not.
std::optional<std::vector<json>> Children(cmark_node* parent,
                                          const std::vector<std::string>& allowed) {
  std::vector<json> out;
  for (cmark_node* child = cmark_node_first_child(parent); child != nullptr;
       child = cmark_node_next(child)) {
    std::optional<std::vector<json>> blocks = Blocks(child);
    if (!blocks.has_value()) return std::nullopt;
    for (json& block : *blocks) {
      if (std::find(allowed.begin(), allowed.end(), http::StringOr(block, "type")) ==
          allowed.end()) {
        return std::nullopt;
      }
      out.push_back(std::move(block));
    }
  }
  return out;
}

// A cmark block as ADF blocks (a paragraph becomes one per line, as Jira's
// editor writes them); nullopt when ADF or this conversion cannot carry
// it (HTML blocks, a heading in a quote...).
std::optional<std::vector<json>> Blocks(cmark_node* node) {
  static const std::vector<std::string> kNested = {"paragraph", "bulletList", "orderedList",
                                                   "codeBlock"};
  switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH: {
      json inlines = json::array();
      if (!Inlines(node, json::array(), &inlines)) return std::nullopt;
      std::vector<json> paragraphs;
      json line = json::array();
      for (const json& inline_node : inlines) {
        if (inline_node.is_null()) {
          paragraphs.push_back(ParagraphOf(LineContent(line)));
          line = json::array();
        } else {
          line.push_back(inline_node);
        }
      }
      paragraphs.push_back(ParagraphOf(LineContent(line)));
      return paragraphs;
    }
    case CMARK_NODE_HEADING: {
      json inlines = json::array();
      if (!Inlines(node, json::array(), &inlines) ||
          std::any_of(inlines.begin(), inlines.end(), [](const json& n) { return n.is_null(); })) {
        return std::nullopt;
      }
      return std::vector<json>{{{"type", "heading"},
                                {"attrs", {{"level", cmark_node_get_heading_level(node)}}},
                                {"content", LineContent(inlines)}}};
    }
    case CMARK_NODE_THEMATIC_BREAK:
      return std::vector<json>{{{"type", "rule"}}};
    case CMARK_NODE_CODE_BLOCK: {
      std::string code = cmark_node_get_literal(node) ? cmark_node_get_literal(node) : "";
      if (!code.empty() && code.back() == '\n') code.pop_back();
      json block = {{"type", "codeBlock"}, {"content", json::array()}};
      const char* info = cmark_node_get_fence_info(node);
      if (info != nullptr && *info != '\0') block["attrs"] = {{"language", info}};
      if (!code.empty()) block["content"].push_back(Text(std::move(code), json::array()));
      return std::vector<json>{std::move(block)};
    }
    case CMARK_NODE_BLOCK_QUOTE: {
      std::optional<std::vector<json>> inner = Children(node, kNested);
      if (!inner.has_value() || inner->empty()) return std::nullopt;
      return std::vector<json>{{{"type", "blockquote"}, {"content", *std::move(inner)}}};
    }
    case CMARK_NODE_LIST: {
      const bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
      json list = {{"type", ordered ? "orderedList" : "bulletList"}, {"content", json::array()}};
      if (ordered && cmark_node_get_list_start(node) != 1) {
        list["attrs"] = {{"order", cmark_node_get_list_start(node)}};
      }
      for (cmark_node* item = cmark_node_first_child(node); item != nullptr;
           item = cmark_node_next(item)) {
        std::optional<std::vector<json>> inner = Children(item, kNested);
        if (!inner.has_value()) return std::nullopt;
        if (inner->empty()) inner->push_back(ParagraphOf(json::array()));
        const std::string first = http::StringOr(inner->front(), "type");
        if (first != "paragraph" && first != "codeBlock") return std::nullopt;
        list["content"].push_back({{"type", "listItem"}, {"content", *std::move(inner)}});
      }
      return std::vector<json>{std::move(list)};
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

json MarkdownToAdf(absl::string_view markdown) {
  const std::vector<absl::string_view> lines = absl::StrSplit(markdown, '\n');
  std::unique_ptr<cmark_node, TreeFree> tree(
      cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_SOURCEPOS));
  json content = json::array();
  size_t next = 0;  // the first line (0-based) not yet converted
  auto literal_up_to = [&](size_t end) {
    for (; next < end && next < lines.size(); ++next) {
      content.push_back(LiteralParagraph(lines[next]));
    }
  };
  for (cmark_node* block = tree ? cmark_node_first_child(tree.get()) : nullptr;
       block != nullptr; block = cmark_node_next(block)) {
    const int start_line = cmark_node_get_start_line(block);
    size_t begin = start_line > 0 ? static_cast<size_t>(start_line - 1) : 0;
    size_t end = std::min<size_t>(std::max(cmark_node_get_end_line(block), 0), lines.size());
    if (begin < next || begin >= end) continue;
    // Blank lines cmark counts into a block stay lines of their own.
    while (end > begin + 1 && lines[end - 1].find_first_not_of(" \t") == absl::string_view::npos) {
      --end;
    }
    literal_up_to(begin);
    const std::string source =
        absl::StrJoin(lines.begin() + begin, lines.begin() + end, "\n");
    std::optional<std::vector<json>> blocks = Blocks(block);
    std::vector<std::string> rendered;
    if (blocks.has_value()) {
      for (const json& b : *blocks) {
        for (std::string& line : BlockLines(b)) rendered.push_back(std::move(line));
      }
    }
    // Only what reads back as its own source is formatting; the rest stays
    // literal text, so every note round-trips.
    if (blocks.has_value() && absl::StrJoin(rendered, "\n") == source) {
      for (json& b : *blocks) content.push_back(std::move(b));
      next = end;
    } else {
      literal_up_to(end);
    }
  }
  literal_up_to(lines.size());
  return {{"type", "doc"}, {"version", 1}, {"content", content}};
}

std::string AdfToMarkdown(const json& document) {
  if (!document.is_object()) return "";
  std::vector<std::string> lines;
  for (const json& block : http::MemberOrNull(document, "content")) {
    for (std::string& line : BlockLines(block)) lines.push_back(std::move(line));
  }
  return absl::StrJoin(lines, "\n");
}

std::string CommentMarkdown(const json& body) {
  if (body.is_string()) return AdfToMarkdown(WikiToAdf(body.get<std::string>()));
  return AdfToMarkdown(body);
}

std::string MarkdownWikiExact(const json& document) {
  const std::string markdown = AdfToMarkdown(document);
  const std::string wiki = AdfToWikiExact(document);
  if (CommentMarkdown(json(wiki)) == markdown) return wiki;
  // Formatting wiki cannot hold (a code block's language, a mark inside a
  // word...): the Markdown itself, as literal text.
  return AdfToWikiExact(TextToAdf(markdown));
}

}  // namespace ferry::jira
