#include "connectors/servicenow/sn_field_write.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "connectors/servicenow/sn_reader_query.h"
#include "connectors/servicenow/sn_schema.h"
#include "mapping/field_value.h"

namespace ferry::servicenow {

absl::StatusOr<std::string> ColumnValue(const ferry::v1::FieldWrite& write) {
  const ferry::v1::FieldValue& value = write.value();
  std::string text;
  switch (value.kind_case()) {
    case ferry::v1::FieldValue::KIND_NOT_SET:
      return std::string();
    case ferry::v1::FieldValue::kLookup:
      text = value.lookup().name().empty() ? value.lookup().id() : value.lookup().name();
      break;
    case ferry::v1::FieldValue::kUser:
      text = value.user().id();
      break;
    case ferry::v1::FieldValue::kTime:
      text = ServiceNowDateTime(mapping::ToTime(value.time()));
      break;
    default:
      text = mapping::ToText(value);
      break;
  }
  std::optional<std::string> code = CodeOf(write.target_field(), text);
  if (!code.has_value()) {
    std::vector<std::string> labels;
    for (const Choice& choice : ChoicesOf(write.target_field())) {
      labels.emplace_back(choice.label);
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "servicenow field '", write.target_field(), "' has no value '", text, "' (from '",
        write.source_field(), "'); map it to one of: ", absl::StrJoin(labels, ", ")));
  }
  return *code;
}

}  // namespace ferry::servicenow
