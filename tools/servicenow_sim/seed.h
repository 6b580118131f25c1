#pragma once

#include <string>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/store.h"

namespace ferry::servicenow_sim {

// Loads seed rows into `store` (Store::Seed: no rules, system columns
// filled where missing, at `now`). The form (tables in any order:
// references are sys_ids and are not checked):
//   {"sys_user": [{"user_name": "ferry", "user_password": "...",
//                  "roles": "itil,audit_viewer", ...}, ...],
//    "sys_choice": [...], "incident": [...]}
// Values as RecordFromJson reads them. Errors name the table and row
// index; rows before the bad one stay loaded.
absl::Status LoadSeed(const nlohmann::json& seed, Store& store,
                      const std::string& now);

// The same from a JSON file.
absl::Status LoadSeedFile(const std::string& path, Store& store,
                          const std::string& now);

}  // namespace ferry::servicenow_sim
