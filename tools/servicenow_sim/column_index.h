#pragma once

#include <string>
#include <tuple>
#include <utility>

#include "absl/container/btree_set.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "tools/servicenow_sim/index_range.h"
#include "tools/servicenow_sim/record.h"

namespace ferry::servicenow_sim {

// An ordered index of one text column of a table: its rows by
// (IndexKey(value), IndexKey(sys_id), sys_id), so that the rows whose
// value lies in a KeyRange can be read in the order queries sort the
// column in, without reading the others. A row without the column is
// indexed under "".
// Not thread-safe: Tables owns one per indexed column and keeps it in step
// with its rows under the Store's lock.
class ColumnIndex {
 public:
  explicit ColumnIndex(std::string column) : column_(std::move(column)) {}

  const std::string& column() const { return column_; }

  // Indexes `row`, stored under `sys_id` / forgets it (as it was indexed).
  void Add(const std::string& sys_id, const Record& row);
  void Remove(const std::string& sys_id, const Record& row);

  // Calls visit(key, sys_id) for the rows whose entry lies in `range`,
  // keys ascending (descending when asked) and, under one key, by sys_id
  // ignoring case, then in byte order (reversed when descending), until
  // visit returns false.
  void Walk(const KeyRange& range, bool descending,
            absl::FunctionRef<bool(const std::string& key,
                                   const std::string& sys_id)>
                visit) const;

 private:
  // (key, IndexKey(sys_id), sys_id).
  using Entry = std::tuple<std::string, std::string, std::string>;
  Entry EntryOf(const std::string& sys_id, const Record& row) const;

  std::string column_;
  absl::btree_set<Entry> entries_;
};

}  // namespace ferry::servicenow_sim
