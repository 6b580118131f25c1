// Tables::Select: the rows of a list query, through an index or a scan
// (tables.h).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "tools/servicenow_sim/index_range.h"
#include "tools/servicenow_sim/tables.h"

namespace ferry::servicenow_sim {
namespace {

// Reads rows of one table, resolving each field once (one Select).
class TableFieldReader : public FieldReader {
 public:
  TableFieldReader(const Tables& tables, const TableSchema& schema)
      : tables_(tables), schema_(schema) {}
  std::optional<FieldValue> Read(const Record& row,
                                 absl::string_view field) const override {
    auto it = paths_.find(field);
    if (it == paths_.end()) {
      it = paths_.emplace(std::string(field), tables_.Resolve(schema_, field))
               .first;
    }
    return tables_.Read(it->second, row);
  }

 private:
  const Tables& tables_;
  const TableSchema& schema_;
  mutable absl::flat_hash_map<std::string, Tables::Path> paths_;
};

// offset + limit, saturated.
int64_t PageEnd(const Tables::Page& page) {
  const int64_t offset = std::max<int64_t>(0, page.offset);
  const int64_t limit = std::max<int64_t>(0, page.limit);
  return limit > std::numeric_limits<int64_t>::max() - offset
             ? std::numeric_limits<int64_t>::max()
             : offset + limit;
}

// Sorts `rows` by the query's ORDERBY terms and then by sys_id (a total
// order: the scan's stable sort of rows read in sys_id order).
void Sort(std::vector<const Record*>& rows, const EncodedQuery& query,
          const FieldReader& reader) {
  struct Keyed {
    EncodedQuery::SortKey key;
    const std::string* sys_id;
    const Record* row;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(rows.size());
  for (const Record* row : rows) {
    keyed.push_back({query.KeyOf(*row, reader), &ColumnValue(*row, "sys_id"),
                     row});
  }
  std::sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    const int order = query.CompareKeys(a.key, b.key);
    return order != 0 ? order < 0 : *a.sys_id < *b.sys_id;
  });
  for (size_t i = 0; i < keyed.size(); ++i) rows[i] = keyed[i].row;
}

// Whether `order` (led by an indexed column) is exactly the order of the
// index's entries: the column and then sys_id, both ascending, as a poll
// asks. Each compares ignoring case, and the scan breaks what ties are
// left by sys_id's bytes, as the index does.
bool IsIndexOrder(const std::vector<QueryOrder>& order) {
  return order.size() == 2 && !order[0].descending &&
         order[1].field == "sys_id" && !order[1].descending;
}

}  // namespace

std::optional<Tables::Matches> Tables::IndexedMatches(
    const Table& table, const EncodedQuery& query, const FieldReader& reader,
    const Page& page) const {
  const ColumnIndex* index = nullptr;
  std::optional<KeyRange> range;
  const std::string first_order =
      query.order().empty() ? "" : query.order().front().field;
  for (const ColumnIndex& candidate : table.indexes) {
    std::optional<KeyRange> own = RangeOf(query, candidate.column());
    if (!own || (index != nullptr && candidate.column() != first_order)) {
      continue;
    }
    index = &candidate;
    range = std::move(own);
  }
  if (index == nullptr) return std::nullopt;
  // Read in the index's order when it is the query's first order: the
  // page then ends with the rows sharing its last row's key, or at its
  // last row when the index's order is the query's whole order.
  const bool ordered = first_order == index->column();
  const bool descending = ordered && query.order().front().descending;
  const bool whole_order = ordered && IsIndexOrder(query.order());
  const int64_t end = PageEnd(page);
  std::optional<std::string> last_key;
  Matches found;
  index->Walk(*range, descending, [&](const std::string& key,
                                      const std::string& sys_id) {
    const bool page_done =
        ordered && static_cast<int64_t>(found.rows.size()) >= end &&
        (whole_order || !last_key || key != *last_key);
    if (page_done && !page.count) return false;
    ++found.rows_read;
    const Record& row = table.rows.find(sys_id)->second;
    if (!query.Matches(row, reader)) return true;
    ++found.count;
    if (!page_done) {
      found.rows.push_back(&row);
      if (static_cast<int64_t>(found.rows.size()) == end) last_key = key;
    }
    return true;
  });
  return found;
}

Tables::Selection Tables::Select(const TableSchema& schema,
                                 const EncodedQuery& query,
                                 const Page& page) const {
  Selection selection;
  auto table = tables_.find(schema.name);
  if (table == tables_.end()) {
    if (page.count) selection.total = 0;
    return selection;
  }
  TableFieldReader reader(*this, schema);
  std::optional<Matches> found;
  if (indexed_queries_) {
    found = IndexedMatches(table->second, query, reader, page);
  }
  if (!found) {
    found.emplace();
    for (const auto& [sys_id, row] : table->second.rows) {
      if (query.Matches(row, reader)) found->rows.push_back(&row);
    }
    found->rows_read = static_cast<int64_t>(table->second.rows.size());
    found->count = static_cast<int64_t>(found->rows.size());
    // Read in sys_id order: without ORDERBY, the order to return.
    if (!query.order().empty()) Sort(found->rows, query, reader);
  } else {
    Sort(found->rows, query, reader);
  }
  std::vector<const Record*>& rows = found->rows;
  const int64_t size = static_cast<int64_t>(rows.size());
  const int64_t begin = std::min(std::max<int64_t>(0, page.offset), size);
  const int64_t end = std::min(PageEnd(page), size);
  selection.rows.assign(rows.begin() + begin, rows.begin() + end);
  if (page.count) selection.total = found->count;
  selection.rows_read = found->rows_read;
  return selection;
}

std::vector<const Record*> Tables::Select(const TableSchema& schema,
                                          const EncodedQuery& query) const {
  return Select(schema, query, Page{}).rows;
}

}  // namespace ferry::servicenow_sim
