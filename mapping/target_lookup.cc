#include "mapping/target_lookup.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "mapping/field_value.h"

namespace ferry::mapping {

std::string EscapeQueryValue(absl::string_view value, QueryLanguage language) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    switch (language) {
      case QueryLanguage::kUrlQuery:
        if (absl::ascii_isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
          out.push_back(c);
        } else {
          out.push_back('%');
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0xF]);
        }
        break;
      case QueryLanguage::kJql:
        if (c == '\\' || c == '"' || c == '\'') out.push_back('\\');
        out.push_back(c);
        break;
    }
  }
  return out;
}

absl::StatusOr<std::string> FillLookupQuery(const TextTemplate& query,
                                            const ferry::v1::Entity& source,
                                            QueryLanguage language) {
  for (const std::string& name : query.placeholders()) {
    const auto it = source.fields().find(name);
    if (it == source.fields().end() || ToText(it->second).empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("target lookup placeholder @", name, "@ has no value on ", source.system(),
                       " entity ", source.id(),
                       "; the lookup cannot run, so the change is not written (check the "
                       "placeholder names the source field that identifies the entity)"));
    }
  }
  return query.Render([&](absl::string_view name) {
    return EscapeQueryValue(ToText(source.fields().at(std::string(name))), language);
  });
}

}  // namespace ferry::mapping
