#pragma once

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace ferry::mapping {

// A text with `@Name@` placeholders, parsed once and rendered many times:
// transforms ("[@Number@] @Title@"), comment templates ("@Body@ — @Author@")
// and target lookup queries ("incident_key=@Key@").
//
// Syntax: `@Name@` where Name is one or more letters, digits, spaces, '_',
// '.' or '-' (field names like "Incident Key"); `@@` is a literal '@'. Any
// other '@' (as in an e-mail address) is literal text too.
//
// Immutable after construction; Render is thread-safe.
class TextTemplate {
 public:
  // The empty template.
  TextTemplate() = default;
  // Parses `text`; every text is a valid template.
  explicit TextTemplate(absl::string_view text);

  // The placeholder names in order of appearance (with repeats).
  const std::vector<std::string>& placeholders() const { return placeholders_; }

  // True when the template has no placeholders and no text.
  bool empty() const { return parts_.empty(); }

  // The text with each placeholder replaced by `value(name)`.
  std::string Render(absl::FunctionRef<std::string(absl::string_view name)> value) const;

 private:
  struct Part {
    std::string text;
    bool is_placeholder = false;
  };
  std::vector<Part> parts_;
  std::vector<std::string> placeholders_;
};

}  // namespace ferry::mapping
