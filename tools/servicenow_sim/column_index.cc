#include "tools/servicenow_sim/column_index.h"

namespace ferry::servicenow_sim {
namespace {

// The smallest string greater than `key`: itself followed by a NUL.
std::string After(const std::string& key) { return key + std::string(1, '\0'); }

}  // namespace

std::string ColumnIndex::KeyOf(const Record& row) const {
  auto it = row.find(column_);
  return it == row.end() ? "" : IndexKey(it->second);
}

void ColumnIndex::Add(const std::string& sys_id, const Record& row) {
  keys_.emplace(KeyOf(row), sys_id);
}

void ColumnIndex::Remove(const std::string& sys_id, const Record& row) {
  keys_.erase({KeyOf(row), sys_id});
}

void ColumnIndex::Walk(
    const KeyRange& range, bool descending,
    absl::FunctionRef<bool(const std::string&, const std::string&)> visit)
    const {
  if (range.Empty()) return;
  // "" is the smallest sys_id: {k, ""} sorts before every row keyed k.
  auto begin = keys_.lower_bound(
      {range.low.inclusive ? range.low.key : After(range.low.key), ""});
  auto end = !range.high ? keys_.end()
                         : keys_.lower_bound({range.high->inclusive
                                                  ? After(range.high->key)
                                                  : range.high->key,
                                              ""});
  if (!descending) {
    for (auto it = begin; it != end; ++it) {
      if (!visit(it->first, it->second)) return;
    }
    return;
  }
  for (auto it = end; it != begin;) {
    --it;
    if (!visit(it->first, it->second)) return;
  }
}

}  // namespace ferry::servicenow_sim
