#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "tools/servicenow_sim/record.h"
#include "tools/servicenow_sim/table_rules.h"

namespace ferry::servicenow_sim {

// The business rules and data policies of the `incident` table, as a default
// ServiceNow instance applies them to Table API writes:
//
// Insert: `number` INC0010001, INC0010002, … (INC + 7 digits; a posted
// number is kept); state 1, impact 3, urgency 3, opened_at (now) and
// opened_by (the writer's sys_id) when not posted; every incident column
// present ("" when empty), as the Table API returns them.
//
// Every write:
// - `incident_state` mirrors `state` (a write of incident_state alone moves
//   state, as the legacy field does);
// - the state, impact, urgency and hold_reason a write sets (all four on
//   insert) must be values of the default choice lists (state 1 New, 2 In Progress, 3 On Hold, 6 Resolved,
//   7 Closed, 8 Canceled; impact/urgency 1–3; hold_reason 1 Awaiting Caller,
//   3 Awaiting Problem, 4 Awaiting Vendor, 5 Awaiting Change), else
//   INVALID_ARGUMENT naming the field and the values;
// - data policies, refused with PERMISSION_DENIED (the store's 403
//   "Operation Failed") whose message is ServiceNow's detail,
//   "Data Policy Exception: The following fields are mandatory: …" with
//   the fields' labels: On Hold needs hold_reason; Awaiting Caller needs a
//   comment in the write that puts the incident there; Resolved and Closed
//   need close_code and close_notes;
// - entering Resolved sets resolved_at/resolved_by, entering Closed sets
//   closed_at/closed_by; `active` is "false" in 6, 7 and 8, else "true";
// - `priority` is computed from impact × urgency by the default lookup
//   matrix (1/1→1, 1/2 and 2/1→2, 1/3, 2/2 and 3/1→3, 2/3 and 3/2→4,
//   3/3→5): a written priority is ignored (a seeded row whose impact or
//   urgency is no choice keeps its priority);
// - a non-empty `comments` or `work_notes` becomes a sys_journal_field
//   insert (element, element_id, name "incident", value, sys_created_on,
//   sys_created_by) and the row keeps "";
// - an update adds one sys_audit row per changed audited field
//   (tablename, fieldname, documentkey, user = user_name, oldvalue,
//   newvalue, reason "", record_checkpoint = the new sys_mod_count,
//   sys_created_on, sys_created_by) and one per journal entry (oldvalue
//   "JOURNAL FIELD ADDITION", newvalue the text); the store drops them
//   when audit is off for the table. Inserts are not audited
//   (ServiceNow's default: glide.sys.audit_inserts is false).
//
// Thread-safe: the store calls it under its own lock; the number counter is
// atomic.
class IncidentRules : public TableRules {
 public:
  IncidentRules() = default;

  absl::Status BeforeInsert(const WriteContext& context, Record& row,
                            WriteEffects& effects) const override;
  absl::Status BeforeUpdate(const WriteContext& context, const Record& before,
                            Record& after,
                            WriteEffects& effects) const override;

  // The default priority lookup: "1".."5" for impact and urgency in
  // "1".."3", "" otherwise.
  static std::string PriorityFor(const std::string& impact,
                                 const std::string& urgency);

 private:
  absl::Status Apply(const WriteContext& context, const Record* before,
                     Record& row, WriteEffects& effects) const;

  mutable std::atomic<int64_t> next_number_{10001};
};

}  // namespace ferry::servicenow_sim
