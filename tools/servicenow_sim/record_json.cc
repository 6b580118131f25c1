#include "tools/servicenow_sim/record_json.h"

#include "absl/strings/str_cat.h"

namespace ferry::servicenow_sim {

absl::StatusOr<Record> RecordFromJson(const nlohmann::json& object) {
  if (!object.is_object()) {
    return absl::InvalidArgumentError(
        "the body must be a JSON object of column names to values");
  }
  Record row;
  for (const auto& [column, value] : object.items()) {
    if (value.is_string()) {
      row[column] = value.get<std::string>();
    } else if (value.is_null()) {
      row[column] = "";
    } else if (value.is_boolean() || value.is_number()) {
      row[column] = value.dump();
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "column '", column, "' must be a string, number or boolean"));
    }
  }
  return row;
}

}  // namespace ferry::servicenow_sim
