#include "tools/servicenow_sim/column_index.h"

namespace ferry::servicenow_sim {
namespace {

// The smallest string greater than `key`: itself followed by a NUL.
std::string After(const std::string& key) { return key + std::string(1, '\0'); }

}  // namespace

ColumnIndex::Entry ColumnIndex::EntryOf(const std::string& sys_id,
                                        const Record& row) const {
  auto it = row.find(column_);
  return {it == row.end() ? "" : IndexKey(it->second), IndexKey(sys_id),
          sys_id};
}

void ColumnIndex::Add(const std::string& sys_id, const Record& row) {
  entries_.insert(EntryOf(sys_id, row));
}

void ColumnIndex::Remove(const std::string& sys_id, const Record& row) {
  entries_.erase(EntryOf(sys_id, row));
}

void ColumnIndex::Walk(
    const KeyRange& range, bool descending,
    absl::FunctionRef<bool(const std::string&, const std::string&)> visit)
    const {
  if (range.Empty()) return;
  // "" sorts first: {k, "", ""} comes before every entry keyed k.
  Entry first{range.low.key, "", ""};
  if (!range.low.inclusive) {
    first = {After(range.low.key), "", ""};
  } else if (range.low_id) {
    std::get<1>(first) = range.low_id->inclusive ? range.low_id->key
                                                 : After(range.low_id->key);
  }
  auto begin = entries_.lower_bound(first);
  auto end = !range.high
                 ? entries_.end()
                 : entries_.lower_bound({range.high->inclusive
                                             ? After(range.high->key)
                                             : range.high->key,
                                         "", ""});
  if (!descending) {
    for (auto it = begin; it != end; ++it) {
      if (!visit(std::get<0>(*it), std::get<2>(*it))) return;
    }
    return;
  }
  for (auto it = end; it != begin;) {
    --it;
    if (!visit(std::get<0>(*it), std::get<2>(*it))) return;
  }
}

}  // namespace ferry::servicenow_sim
