#include "connectors/jira/jira_wiki.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "http/json_fields.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

struct InlineMark {
  char open;
  const char* mark;
};
constexpr InlineMark kMarks[] = {
    {'*', "strong"}, {'_', "em"}, {'-', "strike"}};

// Characters a backslash makes literal in the wiki this file reads: every
// character Jira's wiki renderer gives a meaning (marks * _ - + ^ ~ ??,
// links [, macros {, images !, tables |, and # . for block prefixes).
constexpr absl::string_view kEscapable = "*_-{[#.+^~?!|";

bool IsEscapable(char c) { return kEscapable.find(c) != absl::string_view::npos; }

// A list line: its markers ("*", "#", "**", "*#"…, or "-" read as "*")
// and the item's text.
struct ListLine {
  std::string markers;
  absl::string_view text;
};

std::optional<ListLine> ListLineOf(absl::string_view line) {
  if (absl::StartsWith(line, "- ")) return ListLine{"*", line.substr(2)};
  const size_t end = line.find_first_not_of("*#");
  if (end == 0 || end == absl::string_view::npos || line[end] != ' ') return std::nullopt;
  return ListLine{std::string(line.substr(0, end)), line.substr(end + 1)};
}

// A marked span starting at `i`: its closing index, or npos. The content
// must be non-empty and not start or end with a space.
size_t SpanEnd(absl::string_view line, size_t i, absl::string_view close) {
  const size_t start = i + (close.size() == 2 ? 2 : 1);
  const size_t end = line.find(close, start);
  if (end == absl::string_view::npos || end == start) return absl::string_view::npos;
  if (line[start] == ' ' || line[end - 1] == ' ') return absl::string_view::npos;
  return end;
}

// `node` with `mark` outside its own marks; code takes no mark but a link
// (ADF's rule), so "*a {{b}}*" leaves b code only.
json WithOuterMark(json node, const json& mark) {
  const json& inner_marks = http::MemberOrNull(node, "marks");
  const bool code = std::any_of(inner_marks.begin(), inner_marks.end(), [](const json& m) {
    return http::StringOr(m, "type") == "code";
  });
  if (code && http::StringOr(mark, "type") != "link") return node;
  json marks = json::array({mark});
  for (const json& inner : http::MemberOrNull(node, "marks")) marks.push_back(inner);
  node["marks"] = std::move(marks);
  return node;
}

json Inline(absl::string_view line) {
  json nodes = json::array();
  std::string plain;
  auto flush = [&] {
    if (!plain.empty()) nodes.push_back(AdfText(plain));
    plain.clear();
  };
  for (size_t i = 0; i < line.size();) {
    if (line[i] == '\\' && i + 1 < line.size() && IsEscapable(line[i + 1])) {
      plain.push_back(line[i + 1]);
      i += 2;
      continue;
    }
    if (absl::StartsWith(line.substr(i), "{{")) {
      size_t end = SpanEnd(line, i, "}}");
      if (end != absl::string_view::npos) {
        flush();
        nodes.push_back(AdfText(std::string(line.substr(i + 2, end - i - 2)), "code"));
        i = end + 2;
        continue;
      }
    }
    if (line[i] == '[') {
      size_t end = line.find(']', i + 1);
      if (end != absl::string_view::npos && end > i + 1) {
        absl::string_view inside = line.substr(i + 1, end - i - 1);
        std::vector<absl::string_view> parts = absl::StrSplit(inside, absl::MaxSplits('|', 1));
        absl::string_view url = parts.back();
        if (absl::StartsWith(url, "http://") || absl::StartsWith(url, "https://") ||
            absl::StartsWith(url, "mailto:")) {
          flush();
          // "[|url]" shows the url, as "[url]" does: ADF text is never empty.
          // Link text may hold marks ("[*bold*|url]"); a bare url is text.
          const json link = {{"type", "link"}, {"attrs", {{"href", std::string(url)}}}};
          if (parts.size() == 1 || parts.front().empty()) {
            nodes.push_back(WithOuterMark(AdfText(std::string(url)), link));
          } else {
            for (const json& node : Inline(parts.front())) {
              nodes.push_back(WithOuterMark(node, link));
            }
          }
          i = end + 1;
          continue;
        }
      }
    }
    bool marked = false;
    for (const InlineMark& m : kMarks) {
      const bool at_word_start = i == 0 || line[i - 1] == ' ';
      if (line[i] != m.open || !at_word_start) continue;
      size_t end = SpanEnd(line, i, std::string(1, m.open));
      if (end == absl::string_view::npos) continue;
      flush();
      // Marks nest: "*bold _and em_*".
      for (const json& node : Inline(line.substr(i + 1, end - i - 1))) {
        nodes.push_back(WithOuterMark(node, {{"type", m.mark}}));
      }
      i = end + 1;
      marked = true;
      break;
    }
    if (marked) continue;
    plain.push_back(line[i]);
    ++i;
  }
  flush();
  return nodes;
}

json Block(const char* type, absl::string_view text) {
  return {{"type", type}, {"content", Inline(text)}};
}

// How text is written: as it is (AdfToWiki), with markup characters
// escaped, or escaped and without marks (AdfToWikiExact).
enum class TextMode { kRaw, kEscaped, kPlain };

std::string Escaped(absl::string_view text, TextMode mode) {
  if (mode == TextMode::kRaw) return std::string(text);
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // '?' means something only as "??" (a citation): its first '?' is
    // escaped; every other markup character wherever it is.
    const bool markup = c == '?' ? i + 1 < text.size() && text[i + 1] == '?'
                                 : c != '#' && c != '.' && IsEscapable(c);
    if (markup) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string InlineWiki(const json& nodes, TextMode mode);

// A non-text inline node as wiki.
std::string NodeWiki(const json& node, TextMode mode) {
  const std::string type = http::StringOr(node, "type");
  const json& attrs = http::MemberOrNull(node, "attrs");
  if (type == "hardBreak") return "\n";
  if (type == "mention") return absl::StrCat("[~accountid:", http::StringOr(attrs, "id"), "]");
  if (type == "inlineCard") return absl::StrCat("[", http::StringOr(attrs, "url"), "]");
  if (type == "emoji") return http::StringOr(attrs, "shortName");
  return InlineWiki(http::MemberOrNull(node, "content"), mode);
}

std::string Opening(const TextMark& mark) {
  if (mark.type == "link") return "[";
  if (mark.type == "code") return "{{";
  return mark.type == "strong" ? "*" : mark.type == "em" ? "_" : "-";
}

std::string Closing(const TextMark& mark) {
  if (mark.type == "link") return absl::StrCat("|", mark.href, "]");
  if (mark.type == "code") return "}}";
  return Opening(mark);
}

// Inline nodes as wiki (WriteMarked); a link whose text is its url alone
// is "[url]". Unmarked text is escaped per `mode`; kPlain drops the marks.
std::string InlineWiki(const json& nodes, TextMode mode) {
  auto bare_url = [](const json& node) {
    const std::vector<TextMark> marks = WrittenMarksOf(node);
    return marks.size() == 1 && marks[0].type == "link" &&
           marks[0].href == http::StringOr(node, "text");
  };
  auto marks_of = [&](const json& node) {
    return http::StringOr(node, "type") == "text" && mode != TextMode::kPlain && !bare_url(node)
               ? WrittenMarksOf(node)
               : std::vector<TextMark>();
  };
  return WriteMarked(nodes, marks_of, Opening, Closing, [&](const json& node) {
    if (http::StringOr(node, "type") != "text") return NodeWiki(node, mode);
    const std::string text = http::StringOr(node, "text");
    if (mode != TextMode::kPlain && bare_url(node)) return absl::StrCat("[", text, "]");
    return marks_of(node).empty() ? Escaped(text, mode) : text;
  });
}

// A paragraph line that would read as a block ("# ", "h1. ", "bq. ") gets
// that syntax escaped; "* ", "- ", "----" and "{code" are escaped with
// their characters.
std::string ParagraphLine(std::string line, TextMode mode) {
  if (mode == TextMode::kRaw) return line;
  // "# ", "## ", "#* "… would start a numbered list ('*' is escaped).
  if (!line.empty() && line[0] == '#' && ListLineOf(line).has_value()) return "\\" + line;
  const bool heading = line.size() >= 4 && line[0] == 'h' && line[1] >= '1' &&
                       line[1] <= '6' && line[2] == '.' && line[3] == ' ';
  if (heading) return line.insert(2, "\\");
  if (absl::StartsWith(line, "bq. ")) return line.insert(2, "\\");
  return line;
}

void BlockWiki(const json& node, const std::string& list_prefix, TextMode mode,
               std::vector<std::string>* lines) {
  const std::string type = http::StringOr(node, "type");
  const json& content = http::MemberOrNull(node, "content");
  if (type == "paragraph") {
    std::string text = InlineWiki(content, mode);
    lines->push_back(list_prefix.empty() ? ParagraphLine(std::move(text), mode)
                                         : list_prefix + text);
  } else if (type == "heading") {
    lines->push_back(absl::StrCat(
        "h", http::IntOr(http::MemberOrNull(node, "attrs"), "level", 1), ". ",
        InlineWiki(content, mode)));
  } else if (type == "codeBlock") {
    lines->push_back("{code}");
    lines->push_back(InlineWiki(content, TextMode::kRaw));
    lines->push_back("{code}");
  } else if (type == "rule") {
    lines->push_back("----");
  } else if (type == "blockquote") {
    for (const json& child : content) BlockWiki(child, "bq. ", mode, lines);
  } else if (type == "bulletList" || type == "orderedList") {
    // Inside a list item the markers add up: "* a", "** nested", "*# ...".
    const char marker = type == "bulletList" ? '*' : '#';
    const bool nested = list_prefix.size() >= 2 && absl::EndsWith(list_prefix, " ") &&
                        list_prefix.find_first_not_of("*#") == list_prefix.size() - 1;
    const std::string prefix = nested ? absl::StrCat(list_prefix.substr(0, list_prefix.size() - 1),
                                                     std::string(1, marker), " ")
                                      : std::string(1, marker) + " ";
    for (const json& item : content) {
      for (const json& child : http::MemberOrNull(item, "content")) {
        BlockWiki(child, prefix, mode, lines);
      }
    }
  } else {
    for (const json& child : content) BlockWiki(child, list_prefix, mode, lines);
  }
}

std::string DocumentWiki(const json& document, TextMode mode) {
  std::vector<std::string> lines;
  for (const json& block : http::MemberOrNull(document, "content")) {
    BlockWiki(block, "", mode, &lines);
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace

json WikiToAdf(absl::string_view wiki) {
  json content = json::array();
  // The open lists, outermost first, with their marker ('*' or '#').
  std::vector<std::pair<json*, char>> lists;
  std::vector<absl::string_view> lines = absl::StrSplit(wiki, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    absl::string_view line = lines[i];
    if (std::optional<ListLine> item = ListLineOf(line)) {
      const std::string& markers = item->markers;
      size_t kept = 0;
      while (kept < lists.size() && kept < markers.size() &&
             lists[kept].second == markers[kept]) {
        ++kept;
      }
      // A level deeper than one past the open lists has no item to hang
      // from: the line is a paragraph.
      if (markers.size() <= kept + 1) {
        lists.resize(kept);
        if (lists.size() < markers.size()) {
          json list = {{"type", markers.back() == '#' ? "orderedList" : "bulletList"},
                       {"content", json::array()}};
          json& into = lists.empty() ? content : (*lists.back().first)["content"].back()["content"];
          into.push_back(std::move(list));
          lists.emplace_back(&into.back(), markers.back());
        }
        (*lists.back().first)["content"].push_back(
            {{"type", "listItem"}, {"content", json::array({Block("paragraph", item->text)})}});
        continue;
      }
    }
    lists.clear();
    if (absl::StartsWith(line, "{code")) {
      std::vector<std::string> code;
      size_t j = i + 1;
      while (j < lines.size() && !absl::StartsWith(lines[j], "{code}")) {
        code.emplace_back(lines[j++]);
      }
      json block = {{"type", "codeBlock"}, {"content", json::array()}};
      std::string text = absl::StrJoin(code, "\n");
      if (!text.empty()) block["content"].push_back(AdfText(std::move(text)));
      content.push_back(block);
      i = j;
      continue;
    }
    if (line.size() >= 4 && line[0] == 'h' && line[1] >= '1' && line[1] <= '6' &&
        line[2] == '.' && line[3] == ' ') {
      json heading = Block("heading", line.substr(4));
      heading["attrs"] = {{"level", line[1] - '0'}};
      content.push_back(heading);
    } else if (line == "----") {
      content.push_back({{"type", "rule"}});
    } else if (absl::ConsumePrefix(&line, "bq. ")) {
      content.push_back({{"type", "blockquote"},
                         {"content", json::array({Block("paragraph", line)})}});
    } else {
      content.push_back(Block("paragraph", line));
    }
  }
  return {{"type", "doc"}, {"version", 1}, {"content", content}};
}

json TextToAdf(absl::string_view text) {
  json content = json::array();
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    json paragraph = {{"type", "paragraph"}, {"content", json::array()}};
    if (!line.empty()) paragraph["content"].push_back(AdfText(std::string(line)));
    content.push_back(std::move(paragraph));
  }
  return {{"type", "doc"}, {"version", 1}, {"content", content}};
}

std::vector<TextMark> WrittenMarksOf(const json& node) {
  static const char* const kNesting[] = {"link", "strong", "em", "strike", "code"};
  auto rank = [](const std::string& type) {
    const auto* found = std::find(std::begin(kNesting), std::end(kNesting), type);
    return found - std::begin(kNesting);
  };
  std::vector<TextMark> marks;
  for (const json& mark : http::MemberOrNull(node, "marks")) {
    std::string type = http::StringOr(mark, "type");
    if (rank(type) == std::size(kNesting)) continue;
    marks.push_back({std::move(type), http::StringOr(http::MemberOrNull(mark, "attrs"), "href")});
  }
  std::stable_sort(marks.begin(), marks.end(), [&](const TextMark& a, const TextMark& b) {
    return rank(a.type) < rank(b.type);
  });
  return marks;
}

std::string WriteMarked(const json& nodes,
                        const std::function<std::vector<TextMark>(const json&)>& marks_of,
                        const std::function<std::string(const TextMark&)>& opening,
                        const std::function<std::string(const TextMark&)>& closing,
                        const std::function<std::string(const json&)>& body) {
  std::string out;
  std::vector<TextMark> open;
  auto close_down_to = [&](size_t keep) {
    while (open.size() > keep) {
      out += closing(open.back());
      open.pop_back();
    }
  };
  for (const json& node : nodes) {
    const std::vector<TextMark> marks = marks_of(node);
    size_t common = 0;
    while (common < open.size() && common < marks.size() && open[common] == marks[common]) {
      ++common;
    }
    close_down_to(common);
    for (size_t i = common; i < marks.size(); ++i) {
      out += opening(marks[i]);
      open.push_back(marks[i]);
    }
    out += body(node);
  }
  close_down_to(0);
  return out;
}

json AdfText(std::string text, const char* mark, const json& attrs) {
  json node = {{"type", "text"}, {"text", std::move(text)}};
  if (mark != nullptr) {
    json m = {{"type", mark}};
    if (!attrs.is_null()) m["attrs"] = attrs;
    node["marks"] = json::array({m});
  }
  return node;
}

std::string AdfToWiki(const json& document) {
  if (document.is_string()) return document.get<std::string>();
  if (!document.is_object()) return "";
  return DocumentWiki(document, TextMode::kRaw);
}

std::string AdfToWikiExact(const json& document) {
  // Jira's renderer reads more markup than WikiToAdf does ("[#anchor]",
  // "!image!", "a|b" in tables), so text is always written escaped.
  std::string wiki = DocumentWiki(document, TextMode::kEscaped);
  if (WikiToAdf(wiki) == document) return wiki;
  return DocumentWiki(document, TextMode::kPlain);
}

}  // namespace ferry::jira
