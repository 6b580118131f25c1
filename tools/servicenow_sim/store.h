#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "tools/servicenow_sim/record.h"
#include "tools/servicenow_sim/schema.h"
#include "tools/servicenow_sim/table_rules.h"
#include "tools/servicenow_sim/tables.h"

namespace ferry::servicenow_sim {

// The simulated instance's data: the tables of DefaultSchemas() (or given
// schemas), the business rules registered per table, and the writes that
// keep system columns right. Thread-safe: one mutex; readers share it.
//
// Every write fills the system columns: sys_id (32 lower-case hex, unless
// a seeded row brings its own), sys_created_on/by, sys_updated_on/by from
// the WriteContext ("yyyy-MM-dd HH:mm:ss" UTC, user_name), sys_mod_count
// "0" on insert and +1 per update that changes something. Columns the
// schema does not know and read-only columns are dropped from Insert and
// Update, as ServiceNow ignores them. Errors: NOT_FOUND for an unknown
// table ("Invalid table x") or row; whatever the table's rules return.
class Store {
 public:
  Store();
  explicit Store(std::vector<TableSchema> schemas);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Registers `table`'s business rules (replacing any); the store calls
  // them on every Insert/Update of the table, under its lock. Call before
  // serving. Unknown table: NOT_FOUND.
  absl::Status SetRules(const std::string& table,
                        std::unique_ptr<TableRules> rules);

  // Turns auditing of `table` on or off (sys_audit rows the rules return
  // for it are kept or dropped). Unknown table: NOT_FOUND.
  absl::Status SetAudited(const std::string& table, bool audited);

  // Whether list queries read through the tables' ordered indexes when
  // they can (on by default; see Tables::Select). Off, every query scans
  // its table: the baseline benchmarks measure the indexes against. The
  // rows returned are the same either way.
  void SetIndexedQueries(bool on);

  // Loads a row as it is (fixtures, the admin API): no rules, every column
  // kept, system columns filled where missing (`now`, "system"). A column
  // the schema does not know is refused (INVALID_ARGUMENT naming it), and
  // so is a sys_id already in the table (ALREADY_EXISTS).
  absl::StatusOr<Record> Seed(const std::string& table, Record row,
                              const std::string& now);

  // Inserts a row written through the Table API: `columns` filtered as
  // above, then the rules' BeforeInsert, then the row and the rules'
  // effects saved together. Returns the saved row.
  absl::StatusOr<Record> Insert(const std::string& table, Record columns,
                                const WriteContext& context);

  // Updates the row `sys_id`: `columns` applied, then BeforeUpdate; when
  // nothing but system columns would change and the rules add no rows, the
  // row is left as it was (no new sys_mod_count), as ServiceNow skips an
  // update that changes nothing. Returns the row as saved.
  absl::StatusOr<Record> Update(const std::string& table,
                                const std::string& sys_id, Record columns,
                                const WriteContext& context);

  // Removes a row. NOT_FOUND when there is none.
  absl::Status Delete(const std::string& table, const std::string& sys_id);

  // Calls f(const Tables&) under a shared lock and returns its result. `f`
  // must not call back into the Store.
  template <typename F>
  auto Read(F&& f) const {
    absl::ReaderMutexLock lock(&mu_);
    return std::forward<F>(f)(static_cast<const Tables&>(tables_));
  }

 private:
  std::string NewSysId() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Saves `row` into `table`, keeping its indexes in step (and re-indexes
  // sys_choice labels when needed).
  void Save(Tables::Table& table, Record row) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Saves the rules' inserts (system columns filled; sys_audit rows of
  // tables not audited dropped).
  void ApplyEffects(WriteEffects effects, const WriteContext& context)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // `columns` without unknown and read-only ones.
  static Record Writable(const TableSchema& schema, Record columns);

  mutable absl::Mutex mu_;
  Tables tables_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::unique_ptr<TableRules>> rules_
      ABSL_GUARDED_BY(mu_);
  absl::BitGen random_ ABSL_GUARDED_BY(mu_);
};

// "Invalid table <name>" (NOT_FOUND), as the Table API names it.
absl::Status InvalidTable(const std::string& table);
// "No Record found" (NOT_FOUND).
absl::Status NoRecordFound();

}  // namespace ferry::servicenow_sim
