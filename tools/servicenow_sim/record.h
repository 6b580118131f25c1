#pragma once

#include <string>

#include "absl/container/btree_map.h"

namespace ferry::servicenow_sim {

// One row of a simulated ServiceNow table, as the Table API stores it:
// column name → value, every value a string (ServiceNow's JSON has only
// strings: "state": "1", "active": "true", datetimes "2026-12-06 07:05:21"
// in UTC). A reference column holds the referenced row's sys_id; the
// store renders it as {"link","value"} or a display value when asked.
// Every row has sys_id, sys_created_on, sys_created_by, sys_updated_on,
// sys_updated_by and sys_mod_count, filled by the store.
using Record = absl::btree_map<std::string, std::string>;

}  // namespace ferry::servicenow_sim
