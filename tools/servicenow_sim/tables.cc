#include "tools/servicenow_sim/tables.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace ferry::servicenow_sim {
namespace {

std::string ChoiceKey(absl::string_view table, absl::string_view column,
                      absl::string_view value) {
  return absl::StrCat(table, "\n", column, "\n", value);
}

}  // namespace

const std::string& ColumnValue(const Record& row, const std::string& column) {
  static const std::string& kEmpty = *new std::string();
  auto it = row.find(column);
  return it == row.end() ? kEmpty : it->second;
}

Tables::Tables(std::vector<TableSchema> schemas) {
  for (TableSchema& schema : schemas) {
    std::string name = schema.name;
    Table& table = tables_[name];
    table.schema = std::move(schema);
    for (const char* column : kIndexedColumns) {
      const Column* spec = table.schema.Find(column);
      if (spec != nullptr && spec->kind != ColumnKind::kInteger) {
        table.indexes.emplace_back(column);
      }
    }
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

void Tables::Put(Table& table, Record row) {
  const std::string sys_id = ColumnValue(row, "sys_id");
  auto [it, inserted] = table.rows.try_emplace(sys_id);
  for (ColumnIndex& index : table.indexes) {
    if (!inserted) index.Remove(sys_id, it->second);
    index.Add(sys_id, row);
  }
  it->second = std::move(row);
}

bool Tables::Erase(Table& table, const std::string& sys_id) {
  auto it = table.rows.find(sys_id);
  if (it == table.rows.end()) return false;
  for (ColumnIndex& index : table.indexes) index.Remove(sys_id, it->second);
  table.rows.erase(it);
  return true;
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

Tables::Path Tables::Resolve(const TableSchema& schema,
                             absl::string_view path) const {
  Path resolved;
  const Column* last = ColumnOf(schema, path);
  if (last == nullptr || last->kind == ColumnKind::kPassword) return resolved;
  resolved.valid = true;
  resolved.numeric = last->kind == ColumnKind::kInteger;
  const TableSchema* current = &schema;
  for (absl::string_view step : absl::StrSplit(path, '.')) {
    const Column* column = current->Find(std::string(step));
    std::string next = column->kind == ColumnKind::kReference ? column->reference : "";
    resolved.steps.emplace_back(std::string(step), next);
    if (!next.empty()) current = Schema(next);
  }
  resolved.steps.back().second.clear();
  return resolved;
}

std::optional<FieldValue> Tables::Read(const Path& path,
                                       const Record& row) const {
  if (!path.valid) return std::nullopt;
  const Record* at = &row;
  for (size_t i = 0; i + 1 < path.steps.size(); ++i) {
    const auto& [column, table] = path.steps[i];
    at = Find(table, ColumnValue(*at, column));
    if (at == nullptr) return FieldValue{"", path.numeric};
  }
  return FieldValue{ColumnValue(*at, path.steps.back().first), path.numeric};
}

std::optional<FieldValue> Tables::ReadPath(const TableSchema& schema,
                                           const Record& row,
                                           absl::string_view path) const {
  return Read(Resolve(schema, path), row);
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
