#include "tools/servicenow_sim/store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void Stamp(Record& row, const WriteContext& context) {
  row["sys_updated_on"] = context.now;
  row["sys_updated_by"] = context.user_name;
}

// Whether two rows differ in anything but the system columns (a missing
// column equals an empty one).
bool ContentDiffers(const Record& a, const Record& b) {
  for (const auto& [column, value] : a) {
    if (!IsSystemColumn(column) && value != ColumnValue(b, column)) return true;
  }
  for (const auto& [column, value] : b) {
    if (!IsSystemColumn(column) && value != ColumnValue(a, column)) return true;
  }
  return false;
}

}  // namespace

absl::Status InvalidTable(const std::string& table) {
  return absl::NotFoundError(absl::StrCat("Invalid table ", table));
}

absl::Status NoRecordFound() { return absl::NotFoundError("No Record found"); }

Store::Store() : Store(DefaultSchemas()) {}

Store::Store(std::vector<TableSchema> schemas) : tables_(std::move(schemas)) {}

absl::Status Store::SetRules(const std::string& table,
                             std::unique_ptr<TableRules> rules) {
  absl::MutexLock lock(&mu_);
  if (tables_.Schema(table) == nullptr) return InvalidTable(table);
  rules_[table] = std::move(rules);
  return absl::OkStatus();
}

absl::Status Store::SetAudited(const std::string& table, bool audited) {
  absl::MutexLock lock(&mu_);
  Tables::Table* found = tables_.MutableTable(table);
  if (found == nullptr) return InvalidTable(table);
  found->schema.audited = audited;
  return absl::OkStatus();
}

void Store::SetIndexedQueries(bool on) {
  absl::MutexLock lock(&mu_);
  tables_.set_indexed_queries(on);
}

std::string Store::NewSysId() {
  std::string id(32, '0');
  for (char& c : id) c = kHex[absl::Uniform(random_, 0, 16)];
  return id;
}

void Store::Save(Tables::Table& table, Record row) {
  tables_.Put(table, std::move(row));
  if (table.schema.name == "sys_choice") tables_.IndexChoices();
}

Record Store::Writable(const TableSchema& schema, Record columns) {
  for (auto it = columns.begin(); it != columns.end();) {
    const Column* column = schema.Find(it->first);
    if (column == nullptr || column->read_only) {
      it = columns.erase(it);
    } else {
      ++it;
    }
  }
  return columns;
}

absl::StatusOr<Record> Store::Seed(const std::string& table, Record row,
                                   const std::string& now) {
  absl::MutexLock lock(&mu_);
  Tables::Table* found = tables_.MutableTable(table);
  if (found == nullptr) return InvalidTable(table);
  for (const auto& [column, value] : row) {
    if (found->schema.Find(column) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "seed row of ", table, ": no column '", column,
          "' (the columns are listed in tools/servicenow_sim/schema.cc)"));
    }
  }
  if (row["sys_id"].empty()) row["sys_id"] = NewSysId();
  if (found->rows.contains(row["sys_id"])) {
    return absl::AlreadyExistsError(absl::StrCat(
        "seed row of ", table, ": sys_id ", row["sys_id"], " is taken"));
  }
  for (const char* column : {"sys_created_on", "sys_updated_on"}) {
    if (row[column].empty()) row[column] = now;
  }
  for (const char* column : {"sys_created_by", "sys_updated_by"}) {
    if (row[column].empty()) row[column] = "system";
  }
  if (row["sys_mod_count"].empty()) row["sys_mod_count"] = "0";
  Save(*found, row);
  return row;
}

absl::StatusOr<Record> Store::Insert(const std::string& table, Record columns,
                                     const WriteContext& context) {
  absl::MutexLock lock(&mu_);
  Tables::Table* found = tables_.MutableTable(table);
  if (found == nullptr) return InvalidTable(table);
  Record row = Writable(found->schema, std::move(columns));
  row["sys_id"] = NewSysId();
  row["sys_created_on"] = context.now;
  row["sys_created_by"] = context.user_name;
  row["sys_mod_count"] = "0";
  Stamp(row, context);
  WriteEffects effects;
  auto rules = rules_.find(table);
  if (rules != rules_.end()) {
    absl::Status status = rules->second->BeforeInsert(context, row, effects);
    if (!status.ok()) return status;
  }
  Save(*found, row);
  ApplyEffects(std::move(effects), context);
  return row;
}

absl::StatusOr<Record> Store::Update(const std::string& table,
                                     const std::string& sys_id, Record columns,
                                     const WriteContext& context) {
  absl::MutexLock lock(&mu_);
  Tables::Table* found = tables_.MutableTable(table);
  if (found == nullptr) return InvalidTable(table);
  auto stored = found->rows.find(sys_id);
  if (stored == found->rows.end()) return NoRecordFound();
  const Record& before = stored->second;
  Record after = before;
  for (auto& [column, value] : Writable(found->schema, std::move(columns))) {
    after[column] = std::move(value);
  }
  int64_t count = 0;
  if (!absl::SimpleAtoi(ColumnValue(before, "sys_mod_count"), &count)) count = 0;
  after["sys_mod_count"] = absl::StrCat(count + 1);
  Stamp(after, context);
  WriteEffects effects;
  auto rules = rules_.find(table);
  if (rules != rules_.end()) {
    absl::Status status =
        rules->second->BeforeUpdate(context, before, after, effects);
    if (!status.ok()) return status;
  }
  if (!ContentDiffers(before, after) && effects.inserts.empty()) return before;
  Save(*found, after);
  ApplyEffects(std::move(effects), context);
  return after;
}

absl::Status Store::Delete(const std::string& table,
                           const std::string& sys_id) {
  absl::MutexLock lock(&mu_);
  Tables::Table* found = tables_.MutableTable(table);
  if (found == nullptr) return InvalidTable(table);
  if (!tables_.Erase(*found, sys_id)) return NoRecordFound();
  if (table == "sys_choice") tables_.IndexChoices();
  return absl::OkStatus();
}

void Store::ApplyEffects(WriteEffects effects, const WriteContext& context) {
  for (WriteEffects::Insert& insert : effects.inserts) {
    Tables::Table* target = tables_.MutableTable(insert.table);
    if (target == nullptr) continue;
    Record& row = insert.row;
    if (insert.table == "sys_audit") {
      const TableSchema* audited = tables_.Schema(row["tablename"]);
      if (audited == nullptr || !audited->audited) continue;
    }
    row["sys_id"] = NewSysId();
    row["sys_created_on"] = context.now;
    row["sys_created_by"] = context.user_name;
    row["sys_mod_count"] = "0";
    Stamp(row, context);
    Save(*target, std::move(row));
  }
}

}  // namespace ferry::servicenow_sim
