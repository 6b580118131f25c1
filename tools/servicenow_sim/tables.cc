#include "tools/servicenow_sim/tables.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ferry::servicenow_sim {
namespace {

std::string ChoiceKey(absl::string_view table, absl::string_view column,
                      absl::string_view value) {
  return absl::StrCat(table, "\n", column, "\n", value);
}

class TableFieldReader : public FieldReader {
 public:
  TableFieldReader(const Tables& tables, const TableSchema& schema)
      : tables_(tables), schema_(schema) {}
  std::optional<FieldValue> Read(const Record& row,
                                 absl::string_view field) const override {
    return tables_.ReadPath(schema_, row, field);
  }

 private:
  const Tables& tables_;
  const TableSchema& schema_;
};

}  // namespace

const std::string& ColumnValue(const Record& row, const std::string& column) {
  static const std::string& kEmpty = *new std::string();
  auto it = row.find(column);
  return it == row.end() ? kEmpty : it->second;
}

Tables::Tables(std::vector<TableSchema> schemas) {
  for (TableSchema& schema : schemas) {
    std::string name = schema.name;
    tables_[name].schema = std::move(schema);
  }
}

const TableSchema* Tables::Schema(absl::string_view table) const {
  auto it = tables_.find(table);
  return it == tables_.end() ? nullptr : &it->second.schema;
}

Tables::Table* Tables::MutableTable(absl::string_view table) {
  auto it = tables_.find(table);
  return it == tables_.end() ? nullptr : &it->second;
}

const Record* Tables::Find(absl::string_view table,
                           absl::string_view sys_id) const {
  auto it = tables_.find(table);
  if (it == tables_.end()) return nullptr;
  auto row = it->second.rows.find(sys_id);
  return row == it->second.rows.end() ? nullptr : &row->second;
}

const Column* Tables::ColumnOf(const TableSchema& schema,
                               absl::string_view path,
                               const TableSchema** owner) const {
  const TableSchema* current = &schema;
  while (true) {
    size_t dot = path.find('.');
    const Column* column = current->Find(std::string(path.substr(0, dot)));
    if (column == nullptr || dot == absl::string_view::npos) {
      if (owner != nullptr) *owner = current;
      return column;
    }
    if (column->kind != ColumnKind::kReference) return nullptr;
    current = Schema(column->reference);
    if (current == nullptr) return nullptr;
    path = path.substr(dot + 1);
  }
}

std::optional<FieldValue> Tables::ReadPath(const TableSchema& schema,
                                           const Record& row,
                                           absl::string_view path) const {
  const Column* last = ColumnOf(schema, path);
  if (last == nullptr || last->kind == ColumnKind::kPassword) {
    return std::nullopt;
  }
  const bool numeric = last->kind == ColumnKind::kInteger;
  const TableSchema* current = &schema;
  const Record* at = &row;
  while (true) {
    size_t dot = path.find('.');
    std::string column(path.substr(0, dot));
    const std::string& value = ColumnValue(*at, column);
    if (dot == absl::string_view::npos) return FieldValue{value, numeric};
    const std::string& table = current->Find(column)->reference;
    at = Find(table, value);
    if (at == nullptr) return FieldValue{"", numeric};
    current = Schema(table);
    path = path.substr(dot + 1);
  }
}

std::string Tables::DisplayValue(const TableSchema& schema,
                                 const std::string& column,
                                 const std::string& value) const {
  const Column* spec = schema.Find(column);
  if (spec == nullptr || value.empty()) return value;
  if (spec->kind == ColumnKind::kReference) {
    const TableSchema* target = Schema(spec->reference);
    const Record* row = Find(spec->reference, value);
    if (target == nullptr || row == nullptr) return "";
    return ColumnValue(*row, target->display_column);
  }
  auto label = choice_labels_.find(ChoiceKey(schema.name, column, value));
  return label == choice_labels_.end() ? value : label->second;
}

std::optional<std::string> Tables::ValueForDisplay(
    const TableSchema& schema, const std::string& column,
    const std::string& display) const {
  const Column* spec = schema.Find(column);
  if (spec == nullptr) return std::nullopt;
  if (spec->kind == ColumnKind::kReference) {
    if (display.empty() || Find(spec->reference, display) != nullptr) {
      return display;
    }
    auto target = tables_.find(spec->reference);
    if (target == tables_.end()) return std::nullopt;
    for (const auto& [sys_id, row] : target->second.rows) {
      if (ColumnValue(row, target->second.schema.display_column) == display) {
        return sys_id;
      }
    }
    return std::nullopt;
  }
  auto choices = tables_.find("sys_choice");
  if (choices != tables_.end()) {
    for (const auto& [sys_id, row] : choices->second.rows) {
      if (ColumnValue(row, "name") == schema.name &&
          ColumnValue(row, "element") == column &&
          absl::EqualsIgnoreCase(ColumnValue(row, "label"), display)) {
        return ColumnValue(row, "value");
      }
    }
  }
  return display;
}

std::vector<const Record*> Tables::Select(const TableSchema& schema,
                                          const EncodedQuery& query) const {
  std::vector<const Record*> rows;
  auto table = tables_.find(schema.name);
  if (table == tables_.end()) return rows;
  TableFieldReader reader(*this, schema);
  for (const auto& [sys_id, row] : table->second.rows) {
    if (query.Matches(row, reader)) rows.push_back(&row);
  }
  if (!query.order().empty()) {
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const Record* a, const Record* b) {
                       return query.Compare(*a, *b, reader) < 0;
                     });
  }
  return rows;
}

void Tables::IndexChoices() {
  choice_labels_.clear();
  auto choices = tables_.find("sys_choice");
  if (choices == tables_.end()) return;
  for (const auto& [sys_id, row] : choices->second.rows) {
    choice_labels_[ChoiceKey(ColumnValue(row, "name"), ColumnValue(row, "element"),
                             ColumnValue(row, "value"))] = ColumnValue(row, "label");
  }
}

}  // namespace ferry::servicenow_sim
