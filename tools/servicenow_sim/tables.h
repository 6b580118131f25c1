#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "tools/servicenow_sim/column_index.h"
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

  // Which of the ordered matches of a query to return: [offset,
  // offset + limit), and whether to count them all.
  struct Page {
    int64_t offset = 0;
    int64_t limit = std::numeric_limits<int64_t>::max();
    bool count = true;
  };
  struct Selection {
    std::vector<const Record*> rows;  // the page, in order
    std::optional<int64_t> total;     // every match, when page.count
    // Rows `query` was evaluated on: the table's size for a scan, the rows
    // in the index range (up to the page's last key without a count) for
    // an indexed read.
    int64_t rows_read = 0;
  };

  // The page of rows matching `query`, in its ORDERBY order and then by
  // sys_id. The result is the same whichever way the rows are found:
  //   - indexed: when every ^NQ query bounds sys_updated_on (or
  //     sys_created_on) with a top-level term (>, >=, <, <=, =, BETWEEN,
  //     IN; a sys_id> term starts the first key part-way; see RangeOf),
  //     only the rows of that column's index in range are read; when the
  //     first ORDERBY is that column (either way), the read stops at the
  //     page's last key unless the page is counted (at the page's last
  //     row when the order is that column and then sys_id, ascending);
  //   - scan: every other query, and every query after
  //     set_indexed_queries(false), evaluates every row of the table.
  Selection Select(const TableSchema& schema, const EncodedQuery& query,
                   const Page& page) const;
  // Every row matching `query`, ordered as above.
  std::vector<const Record*> Select(const TableSchema& schema,
                                    const EncodedQuery& query) const;

  // The columns every table with them keeps an ordered index on.
  static constexpr const char* kIndexedColumns[] = {"sys_updated_on",
                                                    "sys_created_on"};

 private:
  friend class Store;
  struct Table {
    TableSchema schema;
    absl::btree_map<std::string, Record> rows;  // by sys_id
    std::vector<ColumnIndex> indexes;           // of kIndexedColumns
  };
  // The matches of `query` found through one of `table`'s indexes (see
  // Select); nullopt when no index applies.
  struct Matches {
    std::vector<const Record*> rows;  // holds the page; not yet sorted
    int64_t count = 0;                // every match, when page.count
    int64_t rows_read = 0;
  };
  std::optional<Matches> IndexedMatches(const Table& table,
                                        const EncodedQuery& query,
                                        const FieldReader& reader,
                                        const Page& page) const;

  Table* MutableTable(absl::string_view table);
  // Saves `row` under its sys_id (replacing the row there) / removes the
  // row `sys_id` (false when there is none), keeping the indexes in step.
  void Put(Table& table, Record row);
  bool Erase(Table& table, const std::string& sys_id);
  // Off: Select scans every query (the baseline the indexed reads are
  // measured and checked against). On by default.
  void set_indexed_queries(bool on) { indexed_queries_ = on; }
  // Rebuilds choice_labels_ from sys_choice (after any write to it).
  void IndexChoices();

  absl::flat_hash_map<std::string, Table> tables_;
  // "table\ncolumn\nvalue" → label, from sys_choice.
  absl::flat_hash_map<std::string, std::string> choice_labels_;
  bool indexed_queries_ = true;
};

}  // namespace ferry::servicenow_sim
