#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "tools/servicenow_sim/encoded_query.h"
#include "tools/servicenow_sim/record.h"
#include "tools/servicenow_sim/schema.h"

namespace ferry::servicenow_sim {

// `row[column]`, or "" when the row has no such column.
const std::string& ColumnValue(const Record& row, const std::string& column);

// The rows of every table, indexed by sys_id, and the lookups reading them
// needs (dot-walks, reference display values, sys_choice labels). Not
// thread-safe: Store owns one and hands it out under its lock (Store::Read).
class Tables {
 public:
  explicit Tables(std::vector<TableSchema> schemas);

  // nullptr when the instance has no such table.
  const TableSchema* Schema(absl::string_view table) const;
  // The row of `table` with `sys_id`, or nullptr.
  const Record* Find(absl::string_view table, absl::string_view sys_id) const;

  // A (possibly dot-walked) field of `schema`'s table, resolved once so
  // that reading it from many rows does no schema lookups.
  struct Path {
    bool valid = false;  // false: names no (readable) column
    bool numeric = false;
    // The columns walked, and the table each reference step leads to
    // (empty for the last).
    std::vector<std::pair<std::string, std::string>> steps;
  };
  Path Resolve(const TableSchema& schema, absl::string_view path) const;
  // The value of a resolved path in `row`; nullopt when it is not valid
  // (see FieldReader::Read).
  std::optional<FieldValue> Read(const Path& path, const Record& row) const;
  // Resolve + Read, for one-off reads.
  std::optional<FieldValue> ReadPath(const TableSchema& schema,
                                     const Record& row,
                                     absl::string_view path) const;
  // The schema of the column a (possibly dot-walked) path ends on, and in
  // `owner` (when given) the schema of the table that column belongs to.
  const Column* ColumnOf(const TableSchema& schema, absl::string_view path,
                         const TableSchema** owner = nullptr) const;

  // The display value of `value` stored in `column` of `schema`'s table:
  // a reference shows the referenced row's display column, a choice column
  // its sys_choice label; anything else itself.
  std::string DisplayValue(const TableSchema& schema, const std::string& column,
                           const std::string& value) const;
  // The stored value for a display value written with
  // sysparm_input_display_value=true: a choice label's value, a reference's
  // sys_id (by sys_id or display column); nullopt when nothing matches.
  std::optional<std::string> ValueForDisplay(const TableSchema& schema,
                                             const std::string& column,
                                             const std::string& display) const;

  // The rows matching `query`, in its ORDERBY order and then by sys_id.
  std::vector<const Record*> Select(const TableSchema& schema,
                                    const EncodedQuery& query) const;

 private:
  friend class Store;
  struct Table {
    TableSchema schema;
    absl::btree_map<std::string, Record> rows;  // by sys_id
  };

  Table* MutableTable(absl::string_view table);
  // Rebuilds choice_labels_ from sys_choice (after any write to it).
  void IndexChoices();

  absl::flat_hash_map<std::string, Table> tables_;
  // "table\ncolumn\nvalue" → label, from sys_choice.
  absl::flat_hash_map<std::string, std::string> choice_labels_;
};

}  // namespace ferry::servicenow_sim
