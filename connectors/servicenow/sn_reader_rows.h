#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "proto/entity.pb.h"

namespace ferry::servicenow {

// The rows a ServiceNow reader reads, as entities see them: the incident
// itself, and its history: the sys_audit rows of its audited fields and the
// sys_journal_field entries of its comments and work notes. Every value
// arrives as a string (ServiceNow's JSON has no other type); datetimes in
// UTC, users by user_name. Pure; thread-safe.

// One sys_audit row: one field of one record changed by one update.
struct AuditEntry {
  std::string record;  // documentkey: the incident's sys_id
  std::string field;   // fieldname
  std::string user;    // user: the user_name of who made the change
  std::string old_value;
  std::string new_value;
  absl::Time created;  // sys_created_on
  // record_checkpoint: the incident's sys_mod_count after the update, when
  // the instance fills it.
  std::optional<int64_t> checkpoint;
};

// One sys_journal_field entry: a comment or work note on a record.
struct JournalEntry {
  std::string sys_id;
  std::string record;   // element_id: the incident's sys_id
  std::string element;  // "comments" or "work_notes"
  std::string value;    // the text
  std::string author;   // sys_created_by: a user_name
  absl::Time created;   // sys_created_on
};

// `text` ("yyyy-MM-dd HH:mm:ss", UTC) as a time. INVALID_ARGUMENT when it
// is not one.
absl::StatusOr<absl::Time> ParseServiceNowDateTime(const std::string& text);

// The row `row` of an answer to `where` ("GET sys_audit"). UNAVAILABLE
// naming the request and the column when a column the reader needs is
// missing or malformed (a wrong answer is retried, like any other).
absl::StatusOr<AuditEntry> ParseAuditRow(const nlohmann::json& row, const std::string& where);
absl::StatusOr<JournalEntry> ParseJournalRow(const nlohmann::json& row, const std::string& where);

// True for the sys_audit rows ServiceNow writes for journal entries
// (fieldname comments, work_notes): the reader takes those from
// sys_journal_field, with their text whole.
bool IsJournalAudit(const AuditEntry& entry);

// The user a user_name names, as entities carry people.
ferry::v1::UserRef ServiceNowUser(const std::string& user_name);

// `entry` as a field change of the incident schema: choice fields as
// lookups (code and label), users by sys_id, datetimes as times, the rest
// as text; an empty value is unset.
ferry::v1::FieldChange FieldChangeOf(const AuditEntry& entry);

// The incident `row` (database values, bare references) as an Entity of
// `system` and `project`: the schema's fields it holds (choice fields as
// lookups with code and label, users by sys_id, datetimes as times, the
// rest as text; empty values left out), number as the display key,
// sys_mod_count as the revision. UNAVAILABLE naming `where` and the column
// when sys_id, number or a system datetime is missing or malformed.
absl::StatusOr<ferry::v1::Entity> EntityOfIncident(const nlohmann::json& row,
                                                   const std::string& system,
                                                   const std::string& project,
                                                   const std::string& url,
                                                   const std::string& where);

// The id Ferry's journal entries go by: "ferry-" and the 12 hex digits of
// the origin marker `text` ends with ("\n\n(ferry 0123456789ab)", as the
// writer appends it), or nullopt when the text ends with no such marker.
// The writer computes it from the text it writes, so it needs no read of
// the journal to learn the id the reader will report the entry by; it
// cannot be taken for a sys_id (32 hex digits, no dash).
std::optional<std::string> MarkerCommentId(const std::string& text);

// The id a journal entry is reported by: MarkerCommentId of its text when
// it carries Ferry's marker (so the engine, which recorded that id when
// Ferry wrote it, knows it for an echo whoever the author shows), else its
// sys_id (a person's entry).
std::string JournalCommentId(const JournalEntry& entry);

// `entry` as a comment of kind `comments` or `work_notes`, plain text,
// with JournalCommentId as its id.
ferry::v1::Comment CommentOf(const JournalEntry& entry);

}  // namespace ferry::servicenow
