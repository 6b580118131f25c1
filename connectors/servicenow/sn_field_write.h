#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "proto/stages.pb.h"

namespace ferry::servicenow {

// The string the Table API stores for `write` in its column: a lookup's
// name (or its id when it has no name), a user's id (a sys_id), text as
// is, a number without a trailing ".0", a time as ServiceNow writes one
// ("yyyy-MM-dd HH:mm:ss", UTC); "" for a clear. Coded fields (state,
// impact, urgency, hold_reason) become their code: a label ("Resolved")
// or a code ("6") is accepted, anything else is INVALID_ARGUMENT naming
// the field, the value, its source field and the labels. Pure.
absl::StatusOr<std::string> ColumnValue(const ferry::v1::FieldWrite& write);

}  // namespace ferry::servicenow
