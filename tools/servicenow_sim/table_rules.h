#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/servicenow_sim/record.h"

namespace ferry::servicenow_sim {

// What a write did besides changing its own row: rows the store inserts,
// in the same step, into other tables (a journal entry into
// sys_journal_field, audit rows into sys_audit).
struct WriteEffects {
  struct Insert {
    std::string table;
    Record row;
  };
  std::vector<Insert> inserts;
};

// Who is writing: the authenticated user's sys_id and user_name, and the
// simulated "now" as ServiceNow writes it ("yyyy-MM-dd HH:mm:ss", UTC).
struct WriteContext {
  std::string user_sys_id;
  std::string user_name;
  std::string now;
};

// The business rules of one table (after ServiceNow's business rules and
// data policies): defaults and computed columns on insert, validation of
// an update, and the rows the write adds elsewhere. The store calls them
// under its lock, before the row is saved; a non-OK status refuses the
// write and becomes the HTTP error (INVALID_ARGUMENT → 400,
// PERMISSION_DENIED → 403 "Operation Failed" as ServiceNow answers a data
// policy), and nothing is saved.
//
// Journal fields (incident comments and work_notes) arrive in `row` as
// the text written; the rules turn them into sys_journal_field inserts
// and store "" in the row, as ServiceNow reads them back.
class TableRules {
 public:
  virtual ~TableRules() = default;

  // `row` holds the posted columns plus the store's system columns.
  virtual absl::Status BeforeInsert(const WriteContext& context, Record& row,
                                    WriteEffects& effects) const = 0;

  // `before` is the stored row; `after` is it with the written columns
  // applied (system columns already advanced).
  virtual absl::Status BeforeUpdate(const WriteContext& context,
                                    const Record& before, Record& after,
                                    WriteEffects& effects) const = 0;
};

}  // namespace ferry::servicenow_sim
