#pragma once

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/record.h"
#include "tools/servicenow_sim/schema.h"
#include "tools/servicenow_sim/tables.h"

namespace ferry::servicenow_sim {

// sysparm_display_value.
enum class DisplayMode { kValue, kDisplay, kAll };

// How the Table API renders a row (sysparm_* parameters of the request).
struct RenderOptions {
  DisplayMode display = DisplayMode::kValue;
  bool exclude_reference_link = false;
  // sysparm_fields (dot-walks allowed; unknown names left out); empty: all
  // the table's columns but passwords.
  std::vector<std::string> fields;
  // "http://host:port", the prefix of reference links.
  std::string base_url;
};

// One row as the Table API returns it: every value a string; a reference
// as {"link","value"} (value mode), {"display_value","link"} (display
// mode) or {"display_value","link","value"} (all), or bare strings with
// exclude_reference_link; an empty reference as ""; choice columns display
// their sys_choice label; journal columns read back as "".
nlohmann::json RenderRecord(const Tables& tables, const TableSchema& schema,
                            const Record& row, const RenderOptions& options);

}  // namespace ferry::servicenow_sim
