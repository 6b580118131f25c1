#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"

namespace ferry::servicenow_sim {

// How a column's strings are read: what a query compares and how the Table
// API renders a display value.
enum class ColumnKind {
  kString,
  kInteger,   // compared numerically in queries ("state", "priority"...)
  kDateTime,  // "yyyy-MM-dd HH:mm:ss" UTC, compared as text
  kBoolean,   // "true" / "false"
  kReference, // a sys_id of `Column::reference`'s table
  kJournal,   // journal input (comments, work_notes): reads back as ""
  kPassword,  // stored, checked by auth, never rendered
};

struct Column {
  ColumnKind kind = ColumnKind::kString;
  // The referenced table, for kReference.
  std::string reference;
  // Writes through the Table API are ignored, as ServiceNow ignores writes
  // to system columns and to fields its rules compute (incident priority).
  bool read_only = false;
};

// One table's columns. The system columns (sys_id, sys_created_on/by,
// sys_updated_on/by, sys_mod_count) are part of every schema made by
// MakeSchema.
struct TableSchema {
  std::string name;
  // The column that is the row's display value (sys_user.name,
  // incident.number): what a reference to the row shows.
  std::string display_column;
  absl::btree_map<std::string, Column> columns;
  // Whether ServiceNow audits the table: when false the store drops the
  // sys_audit rows the table's rules return.
  bool audited = false;

  const Column* Find(const std::string& column) const;
};

// A schema with `name`, `display_column`, the system columns and `columns`.
TableSchema MakeSchema(std::string name, std::string display_column,
                       absl::btree_map<std::string, Column> columns,
                       bool audited = false);

// Columns every row has, filled by the store.
inline constexpr const char* kSystemColumns[] = {
    "sys_id",         "sys_created_on", "sys_created_by",
    "sys_updated_on", "sys_updated_by", "sys_mod_count"};
bool IsSystemColumn(const std::string& column);

// The tables the simulator knows, with the columns Ferry and the fixture
// use: incident, sys_user, sys_user_group, sys_choice, sys_journal_field,
// sys_audit and oauth_entity (OAuth clients).
std::vector<TableSchema> DefaultSchemas();

}  // namespace ferry::servicenow_sim
