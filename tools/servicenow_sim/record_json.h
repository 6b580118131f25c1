#pragma once

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/record.h"

namespace ferry::servicenow_sim {

// A row from a JSON object as clients post it: strings kept, numbers and
// booleans turned into their text ("2", "true"), null into "". An object
// or array value, or a body that is not an object, is INVALID_ARGUMENT
// naming the field.
absl::StatusOr<Record> RecordFromJson(const nlohmann::json& object);

}  // namespace ferry::servicenow_sim
