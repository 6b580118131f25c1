#include "mapping/target_lookup.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "mapping/field_value.h"

namespace ferry::mapping {

absl::StatusOr<std::string> FillLookupQuery(const TextTemplate& query,
                                            const ferry::v1::Entity& source,
                                            const QueryDialect* dialect) {
  for (const std::string& name : query.placeholders()) {
    const auto it = source.fields().find(name);
    if (it == source.fields().end() || ToText(it->second).empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("target lookup placeholder @", name, "@ has no value on ", source.system(),
                       " entity ", source.id(),
                       ", so the lookup cannot run (check the placeholder names the source "
                       "field that identifies the entity)"));
    }
  }
  return query.Render([&](absl::string_view name) {
    std::string text = ToText(source.fields().at(std::string(name)));
    return dialect == nullptr ? text : dialect->EscapeValue(text);
  });
}

}  // namespace ferry::mapping
