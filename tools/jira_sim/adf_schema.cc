#include "tools/jira_sim/adf_schema.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

constexpr char kInvalidInput[] = "INVALID_INPUT";

const std::set<std::string>& InlineTypes() {
  static const auto* types = new std::set<std::string>{
      "text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status"};
  return *types;
}

const std::set<std::string>& TopBlockTypes() {
  static const auto* types = new std::set<std::string>{
      "paragraph", "heading", "bulletList", "orderedList",
      "blockquote", "codeBlock", "rule"};
  return *types;
}

const std::set<std::string>& NestedBlockTypes() {
  static const auto* types = new std::set<std::string>{
      "paragraph", "bulletList", "orderedList", "codeBlock"};
  return *types;
}

absl::Status Broken(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

bool StringAttr(const json& node, const char* name) {
  const json* attrs = node.contains("attrs") ? &node["attrs"] : nullptr;
  return attrs != nullptr && attrs->is_object() && attrs->contains(name) &&
         (*attrs)[name].is_string();
}

absl::Status CheckMarks(const json& node, const std::string& where) {
  if (!node.contains("marks")) return absl::OkStatus();
  const json& marks = node["marks"];
  if (!marks.is_array()) return Broken(where, "marks must be an array");
  std::set<std::string> seen;
  for (size_t i = 0; i < marks.size(); ++i) {
    const std::string at = absl::StrCat(where, ".marks[", i, "]");
    const json& mark = marks[i];
    if (!mark.is_object() || !mark.contains("type") || !mark["type"].is_string()) {
      return Broken(at, "a mark is an object with a string type");
    }
    const std::string type = mark["type"].get<std::string>();
    if (!seen.insert(type).second) return Broken(at, "the same mark twice");
    if (type == "link") {
      if (!StringAttr(mark, "href")) return Broken(at, "a link needs attrs.href");
    } else if (type == "subsup") {
      const std::string kind = StringAttr(mark, "type") ? mark["attrs"]["type"].get<std::string>() : "";
      if (kind != "sub" && kind != "sup") return Broken(at, "subsup needs attrs.type sub or sup");
    } else if (type == "textColor") {
      if (!StringAttr(mark, "color")) return Broken(at, "textColor needs attrs.color");
    } else if (type != "strong" && type != "em" && type != "strike" && type != "code" &&
               type != "underline") {
      return Broken(at, absl::StrCat("unknown mark '", type, "'"));
    }
  }
  if (seen.count("code") > 0) {
    for (const std::string& type : seen) {
      if (type != "code" && type != "link") {
        return Broken(where, absl::StrCat("the code mark does not combine with '", type, "'"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckNode(const json& node, const std::string& where,
                       const std::set<std::string>& allowed);

// `content` of `node`: each child one of `allowed`; at least one when
// `required`.
absl::Status CheckContent(const json& node, const std::string& where,
                          const std::set<std::string>& allowed, bool required) {
  if (!node.contains("content")) {
    return required ? Broken(where, "content must not be empty") : absl::OkStatus();
  }
  const json& content = node["content"];
  if (!content.is_array()) return Broken(where, "content must be an array");
  if (required && content.empty()) return Broken(where, "content must not be empty");
  for (size_t i = 0; i < content.size(); ++i) {
    absl::Status checked =
        CheckNode(content[i], absl::StrCat(where, ".content[", i, "]"), allowed);
    if (!checked.ok()) return checked;
  }
  return absl::OkStatus();
}

absl::Status NoContent(const json& node, const std::string& where) {
  if (node.contains("content")) return Broken(where, "this node has no content");
  return absl::OkStatus();
}

absl::Status CheckText(const json& node, const std::string& where) {
  if (!node.contains("text") || !node["text"].is_string()) {
    return Broken(where, "a text node needs a string text");
  }
  if (node["text"].get_ref<const std::string&>().empty()) {
    return Broken(where, "a text node's text must not be empty");
  }
  absl::Status none = NoContent(node, where);
  if (!none.ok()) return none;
  return CheckMarks(node, where);
}

absl::Status CheckNode(const json& node, const std::string& where,
                       const std::set<std::string>& allowed) {
  if (!node.is_object() || !node.contains("type") || !node["type"].is_string()) {
    return Broken(where, "a node is an object with a string type");
  }
  const std::string type = node["type"].get<std::string>();
  if (allowed.count(type) == 0) {
    return Broken(where, absl::StrCat("'", type, "' is not allowed here"));
  }
  if (type != "text" && node.contains("marks")) {
    return Broken(where, absl::StrCat("'", type, "' takes no marks"));
  }
  if (node.contains("attrs") && !node["attrs"].is_object()) {
    return Broken(where, "attrs must be an object");
  }
  if (type == "text") return CheckText(node, where);
  if (type == "paragraph") return CheckContent(node, where, InlineTypes(), false);
  if (type == "heading") {
    const json& attrs = node.contains("attrs") ? node["attrs"] : json();
    const json level = attrs.is_object() && attrs.contains("level") ? attrs["level"] : json();
    if (!level.is_number_integer() || level.get<int64_t>() < 1 || level.get<int64_t>() > 6) {
      return Broken(where, "a heading needs attrs.level 1 to 6");
    }
    return CheckContent(node, where, InlineTypes(), false);
  }
  if (type == "bulletList" || type == "orderedList") {
    if (type == "orderedList" && node.contains("attrs") && node["attrs"].contains("order")) {
      const json& order = node["attrs"]["order"];
      if (!order.is_number_integer() || order.get<int64_t>() < 0) {
        return Broken(where, "attrs.order must be a whole number >= 0");
      }
    }
    return CheckContent(node, where, {"listItem"}, true);
  }
  if (type == "listItem") {
    absl::Status checked = CheckContent(node, where, NestedBlockTypes(), true);
    if (!checked.ok()) return checked;
    const std::string first = node["content"][0]["type"].get<std::string>();
    if (first != "paragraph" && first != "codeBlock") {
      return Broken(where, "a list item starts with a paragraph or a code block");
    }
    return absl::OkStatus();
  }
  if (type == "blockquote") return CheckContent(node, where, NestedBlockTypes(), true);
  if (type == "codeBlock") {
    if (node.contains("attrs") && node["attrs"].contains("language") &&
        !node["attrs"]["language"].is_string()) {
      return Broken(where, "attrs.language must be a string");
    }
    absl::Status checked = CheckContent(node, where, {"text"}, false);
    if (!checked.ok()) return checked;
    for (const json& child : node.value("content", json::array())) {
      if (child.contains("marks")) return Broken(where, "text in a code block takes no marks");
    }
    return absl::OkStatus();
  }
  if (type == "rule" || type == "hardBreak") return NoContent(node, where);
  const char* needed = type == "mention"      ? "id"
                       : type == "emoji"      ? "shortName"
                       : type == "inlineCard" ? "url"
                       : type == "date"       ? "timestamp"
                                              : "text";
  if (!StringAttr(node, needed) || (type == "status" && !StringAttr(node, "color"))) {
    return Broken(where, absl::StrCat("'", type, "' needs attrs.", needed,
                                      type == "status" ? " and attrs.color" : ""));
  }
  return NoContent(node, where);
}

}  // namespace

absl::Status ValidateAdfDetail(const json& document) {
  if (!document.is_object() || document.value("type", json()) != "doc") {
    return Broken("document", "the top node must be of type doc");
  }
  if (document.value("version", json()) != 1) return Broken("document", "version must be 1");
  if (!document.contains("content")) return Broken("document", "content is required");
  for (const auto& [key, value] : document.items()) {
    if (key != "type" && key != "version" && key != "content") {
      return Broken("document", absl::StrCat("unknown member '", key, "'"));
    }
  }
  return CheckContent(document, "document", TopBlockTypes(), false);
}

absl::Status ValidateAdf(const json& document) {
  if (ValidateAdfDetail(document).ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(kInvalidInput);
}

}  // namespace ferry::jira_sim
