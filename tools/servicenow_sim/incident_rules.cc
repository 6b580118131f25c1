#include "tools/servicenow_sim/incident_rules.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kTable[] = "incident";

// Every column an incident row shows, "" when empty (sys_ columns are the
// store's).
constexpr const char* kColumns[] = {
    "number",        "state",          "incident_state", "impact",
    "urgency",       "priority",       "active",         "short_description",
    "description",   "caller_id",      "category",       "assigned_to",
    "assignment_group", "hold_reason", "close_code",     "close_notes",
    "opened_at",     "opened_by",      "resolved_at",    "resolved_by",
    "closed_at",     "closed_by",      "correlation_id", "correlation_display",
    "comments",      "work_notes",     "comments_and_work_notes",
    "severity",      "subcategory"};

// Columns whose changes sys_audit records (journal fields apart).
constexpr const char* kAudited[] = {
    "state",          "impact",          "urgency",     "priority",
    "short_description", "description",  "assigned_to", "assignment_group",
    "hold_reason",    "close_code",      "close_notes", "correlation_id"};

constexpr const char* kJournalFields[] = {"comments", "work_notes"};

constexpr char kNew[] = "1";
constexpr char kOnHold[] = "3";
constexpr char kResolved[] = "6";
constexpr char kClosed[] = "7";
constexpr char kCanceled[] = "8";
constexpr char kAwaitingCaller[] = "1";

struct Choices {
  const char* field;
  std::vector<std::string> values;
  const char* meaning;
};

const std::vector<Choices>& ChoiceLists() {
  static const auto* lists = new std::vector<Choices>{
      {"state",
       {"1", "2", "3", "6", "7", "8"},
       "1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled"},
      {"impact", {"1", "2", "3"}, "1 High, 2 Medium, 3 Low"},
      {"urgency", {"1", "2", "3"}, "1 High, 2 Medium, 3 Low"},
      {"hold_reason",
       {"", "1", "3", "4", "5"},
       "1 Awaiting Caller, 3 Awaiting Problem, 4 Awaiting Vendor, "
       "5 Awaiting Change, or empty"},
  };
  return *lists;
}

std::string Get(const Record& row, const std::string& column) {
  auto it = row.find(column);
  return it == row.end() ? "" : it->second;
}

bool IsClosedState(const std::string& state) {
  return state == kResolved || state == kClosed || state == kCanceled;
}

// Checks the choice columns this write sets (all of them on insert): a row
// seeded with other values may still be updated in its other columns.
absl::Status CheckChoices(const Record* before, const Record& row) {
  for (const Choices& list : ChoiceLists()) {
    const std::string value = Get(row, list.field);
    if (before != nullptr && Get(*before, list.field) == value) continue;
    bool known = false;
    for (const std::string& allowed : list.values) known |= value == allowed;
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat(
          "incident.", list.field, " \"", value,
          "\" is not a choice of the default instance; write one of: ",
          list.meaning));
    }
  }
  return absl::OkStatus();
}

// ServiceNow's data-policy refusal, with the fields' labels.
absl::Status Mandatory(const std::vector<std::string>& labels) {
  return absl::PermissionDeniedError(
      absl::StrCat("Data Policy Exception: The following fields are "
                   "mandatory: ",
                   absl::StrJoin(labels, ", ")));
}

// Whether `column` is `value` after the write but was not before it (for
// an insert every value is new).
bool Entered(const Record* before, const Record& row, const std::string& column,
             const std::string& value) {
  return Get(row, column) == value &&
         (before == nullptr || Get(*before, column) != value);
}

absl::Status CheckDataPolicies(const Record* before, const Record& row) {
  const std::string state = Get(row, "state");
  if (state == kOnHold) {
    if (Get(row, "hold_reason").empty()) return Mandatory({"On hold reason"});
    const bool moved_to_awaiting_caller =
        Entered(before, row, "state", kOnHold) ||
        Entered(before, row, "hold_reason", kAwaitingCaller);
    if (Get(row, "hold_reason") == kAwaitingCaller && moved_to_awaiting_caller &&
        Get(row, "comments").empty()) {
      return Mandatory({"Additional comments"});
    }
  }
  if (state == kResolved || state == kClosed) {
    std::vector<std::string> missing;
    if (Get(row, "close_code").empty()) missing.push_back("Resolution code");
    if (Get(row, "close_notes").empty()) missing.push_back("Resolution notes");
    if (!missing.empty()) return Mandatory(missing);
  }
  return absl::OkStatus();
}

Record JournalEntry(const WriteContext& context, const std::string& element,
                    const std::string& element_id, const std::string& value) {
  return Record{{"element", element},
                {"element_id", element_id},
                {"name", kTable},
                {"value", value},
                {"sys_created_on", context.now},
                {"sys_created_by", context.user_name}};
}

Record AuditRow(const WriteContext& context, const Record& row,
                const std::string& field, const std::string& old_value,
                const std::string& new_value) {
  return Record{{"tablename", kTable},
                {"fieldname", field},
                {"documentkey", Get(row, "sys_id")},
                {"user", context.user_name},
                {"oldvalue", old_value},
                {"newvalue", new_value},
                {"reason", ""},
                {"record_checkpoint", Get(row, "sys_mod_count")},
                {"sys_created_on", context.now},
                {"sys_created_by", context.user_name}};
}

}  // namespace

std::string IncidentRules::PriorityFor(const std::string& impact,
                                       const std::string& urgency) {
  // Rows: impact 1..3; columns: urgency 1..3 (the default lookup rules).
  static constexpr char kMatrix[3][3] = {
      {'1', '2', '3'}, {'2', '3', '4'}, {'3', '4', '5'}};
  if (impact.size() != 1 || urgency.size() != 1 || impact[0] < '1' ||
      impact[0] > '3' || urgency[0] < '1' || urgency[0] > '3') {
    return "";
  }
  return std::string(1, kMatrix[impact[0] - '1'][urgency[0] - '1']);
}

absl::Status IncidentRules::BeforeInsert(const WriteContext& context,
                                         Record& row,
                                         WriteEffects& effects) const {
  for (const char* column : kColumns) row.try_emplace(column, "");
  if (row["state"].empty()) row["state"] = row["incident_state"];
  if (row["state"].empty()) row["state"] = kNew;
  row["incident_state"] = row["state"];
  if (row["impact"].empty()) row["impact"] = "3";
  if (row["urgency"].empty()) row["urgency"] = "3";
  if (row["severity"].empty()) row["severity"] = "3";
  if (row["opened_at"].empty()) row["opened_at"] = context.now;
  if (row["opened_by"].empty()) row["opened_by"] = context.user_sys_id;
  if (absl::Status status = Apply(context, nullptr, row, effects); !status.ok()) {
    return status;
  }
  // Only a successful insert uses up a number.
  if (row["number"].empty()) {
    row["number"] = absl::StrFormat("INC%07d", next_number_.fetch_add(1));
  }
  return absl::OkStatus();
}

absl::Status IncidentRules::BeforeUpdate(const WriteContext& context,
                                         const Record& before, Record& after,
                                         WriteEffects& effects) const {
  for (const char* column : kColumns) after.try_emplace(column, "");
  const bool state_written = Get(after, "state") != Get(before, "state");
  const bool legacy_written =
      Get(after, "incident_state") != Get(before, "incident_state");
  if (legacy_written && !state_written) {
    after["state"] = after["incident_state"];
  }
  after["incident_state"] = after["state"];
  return Apply(context, &before, after, effects);
}

absl::Status IncidentRules::Apply(const WriteContext& context,
                                  const Record* before, Record& row,
                                  WriteEffects& effects) const {
  if (absl::Status status = CheckChoices(before, row); !status.ok()) {
    return status;
  }
  if (absl::Status status = CheckDataPolicies(before, row); !status.ok()) {
    return status;
  }
  const std::string state = row["state"];
  row["active"] = IsClosedState(state) ? "false" : "true";
  // A seeded row without impact or urgency keeps its priority.
  if (std::string priority = PriorityFor(row["impact"], row["urgency"]);
      !priority.empty()) {
    row["priority"] = priority;
  }
  if (Entered(before, row, "state", kResolved)) {
    row["resolved_at"] = context.now;
    row["resolved_by"] = context.user_sys_id;
  }
  if (Entered(before, row, "state", kClosed)) {
    row["closed_at"] = context.now;
    row["closed_by"] = context.user_sys_id;
  }

  const bool audit = before != nullptr;
  if (audit) {
    for (const char* field : kAudited) {
      const std::string old_value = Get(*before, field);
      if (old_value != row[field]) {
        effects.inserts.push_back(
            {"sys_audit", AuditRow(context, row, field, old_value, row[field])});
      }
    }
  }
  for (const char* field : kJournalFields) {
    std::string text = row[field];
    if (text.empty()) continue;
    row[field] = "";
    effects.inserts.push_back(
        {"sys_journal_field",
         JournalEntry(context, field, Get(row, "sys_id"), text)});
    if (audit) {
      effects.inserts.push_back(
          {"sys_audit",
           AuditRow(context, row, field, "JOURNAL FIELD ADDITION", text)});
    }
  }
  row["comments_and_work_notes"] = "";
  return absl::OkStatus();
}

}  // namespace ferry::servicenow_sim
