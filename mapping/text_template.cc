#include "mapping/text_template.h"

#include "absl/strings/ascii.h"

namespace ferry::mapping {
namespace {

bool IsNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '_' || c == '.' ||
         c == '-';
}

}  // namespace

TextTemplate::TextTemplate(absl::string_view text) {
  std::string literal;
  auto flush_literal = [&] {
    if (!literal.empty()) parts_.push_back({std::move(literal), false});
    literal.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '@') {
      literal.push_back(text[i++]);
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '@') {
      literal.push_back('@');
      i += 2;
      continue;
    }
    size_t end = i + 1;
    while (end < text.size() && IsNameChar(text[end])) ++end;
    const bool closed = end < text.size() && text[end] == '@' && end > i + 1;
    if (!closed) {
      literal.push_back('@');
      ++i;
      continue;
    }
    flush_literal();
    std::string name(text.substr(i + 1, end - i - 1));
    placeholders_.push_back(name);
    parts_.push_back({std::move(name), true});
    i = end + 1;
  }
  flush_literal();
}

std::string TextTemplate::Render(
    absl::FunctionRef<std::string(absl::string_view name)> value) const {
  std::string out;
  for (const Part& part : parts_) {
    if (part.is_placeholder) {
      out.append(value(part.text));
    } else {
      out.append(part.text);
    }
  }
  return out;
}

}  // namespace ferry::mapping
