#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/servicenow/sn_reader_rows.h"
#include "connectors/servicenow/sn_reader_position.h"
#include "connectors/servicenow/sn_table_client.h"
#include "engine/connector/connector.h"
#include "nlohmann/json.hpp"

namespace ferry::servicenow {

// What a ServiceNowReader reads and who it is.
struct ServiceNowReaderOptions {
  ferry::engine::ReaderOptions reader;
  // SystemConfig.name, set on every Entity.
  std::string system;
  // The integration user's user_name: what ServiceNow writes in
  // sys_updated_by, sys_audit.user and sys_journal_field.sys_created_by
  // for Ferry's own writes, which are echoes and never come back.
  std::string user_name;
  // An encoded query AND-ed to every poll besides the criteria: which
  // incidents the partition's project holds (empty: all of them).
  std::string project_scope;
};

// Reads one partition's incident changes from ServiceNow
// (engine::ChangeReader).
//
// Changes: `GET /api/now/table/incident?sysparm_query=ORDERBYsys_updated_on^
// ORDERBYsys_id^sys_updated_on>=<T>^<scope>^<criteria>` with
// sysparm_no_count and bare references, options.page_size rows a page.
// T is the second of the last position: ServiceNow stamps sys_updated_on to the second, so a poll
// overlaps that second and drops the versions it reported, by (sys_id,
// sys_mod_count) (ReadMark). Later pages start from the last row read
// (rest of its second by sys_id, ^NQ, later seconds), never by offset, so
// updates while paging cannot shift a row out of the pages; more than a
// page of incidents in one second is paged through the same way.
//
// History, for all incidents of a read at once (two calls per 100 of
// them, or per page_size when smaller): their sys_audit rows since T replay who changed which field
// (FieldChanges, oldest first); their sys_journal_field entries since T
// are the new comments and work notes (Comment.kind "comments" or
// "work_notes"). Where sys_audit cannot be read (no audit_viewer role: the
// reader stops asking) or holds nothing for an update (audit off, or a
// field that is not audited), the change carries the incident's current
// state and no FieldChanges, attributed to sys_updated_by.
//
// An update of T made after the poll that read the incident in T is told
// apart by record_checkpoint (sys_mod_count after the update) on its
// audit rows, and a journal entry by its own audit row; without one, the
// rows of T are read again (the writer drops what it already copied).
//
// Echo: audit rows and journal entries by the integration user are left
// out; a version whose updater (sys_updated_by) is the integration user
// and that has nothing else (no field changed, no comment, not created by
// someone else) is skipped, its position reported through scanned_to.
// So a person's change in the same second as Ferry's is still read.
//
// Reads saved on echoes: a version is not asked about in sys_audit and
// sys_journal_field at all (it is skipped as above, with no read) when it
// is provably Ferry's write alone:
//  - created by the integration user and never updated (sys_created_by =
//    sys_updated_by = the integration user, sys_mod_count 0); or
//  - updated by the integration user (sys_updated_by) exactly once since a
//    version whose history is accounted for: sys_mod_count is one more
//    than that of a version of the same incident this reader reported or
//    skipped, at or before the position it reads from (so a version
//    already behind the checkpoint: a re-read from an earlier position or
//    a backfill does not count it), or one more than the mark's own record
//    of it in its second (the checkpoint's cursor). ServiceNow counts every
//    update in sys_mod_count and stamps its author in sys_updated_by, so a
//    difference of one means one update, Ferry's: a person's change or
//    comment between two of Ferry's writes makes the difference two or
//    more, and the history is read.
// Likewise sys_audit alone is not asked about a version that is one
// update of someone else's after a version this reader remembers, whose
// row shows the same values in every column a poll reads but sys_mod_count,
// sys_updated_on and sys_updated_by (a person's comment): sys_audit has a
// row for each field an update changed, and this update changed none of
// the schema's; the journal is read for the comment, and the change has no
// FieldChanges (a column outside the schema, which no mapping names, is not
// reported). (A journal entry of
// the mark's second is then told apart by its time, not its audit row:
// one already delivered may come again, which the writer recognises.)
//
// This relies on a comment being written through the incident (the form,
// or the Table API on the incident), which is an update; an entry
// inserted into sys_journal_field directly is not an update of the
// incident, is read only with the incident's next update, and is missed
// when that update is one of Ferry's proven alone.
//
// Each ChangeEvent holds the incident (comments_complete false), its
// change id "<sys_id>@<sys_mod_count>", and `created` when someone else
// created it since T. At most `max_changes` changes, and at most 500 new
// incident versions per call; `more` says the rest waits. Versions of T
// already read are paged past, however many there are.
//
// Errors are the TableClient's (reader errors are retried by the engine);
// a checkpoint not written by this reader is INVALID_ARGUMENT with the fix.
// One thread at a time, as ChangeReader requires.
class ServiceNowReader : public ferry::engine::ChangeReader {
 public:
  // `client` must outlive the reader.
  ServiceNowReader(TableClient* client, ServiceNowReaderOptions options);

  absl::StatusOr<ferry::engine::ChangePage> ReadChanges(
      const std::optional<ferry::v1::SourcePosition>& after,
      int max_changes) override;

 private:
  // One incident version a scan found.
  struct Found {
    RecordVersion version;
    nlohmann::json row;
  };
  // What the audit and the journal say about the versions found.
  struct History {
    std::map<std::string, std::vector<AuditEntry>> audit;      // by incident sys_id
    std::map<std::string, std::vector<JournalEntry>> journal;  // by incident sys_id
  };

  // The incident versions after `mark`, oldest first, at most `limit`;
  // `more` set when others were left.
  absl::StatusOr<std::vector<Found>> Scan(const ReadMark& mark, int limit, bool& more);
  // What of a version's history must be read.
  enum class HistoryNeeded { kNone, kJournal, kAll };
  // Remembered of an incident: its newest version accounted for, and the
  // ColumnsDigest of its row then.
  struct Remembered {
    RecordVersion version;
    std::string columns;
  };

  // The sys_audit rows since `since` of the incidents `audit_ids`, and the
  // sys_journal_field entries of `journal_ids`.
  absl::StatusOr<History> ReadHistory(const std::vector<std::string>& audit_ids,
                                      const std::vector<std::string>& journal_ids,
                                      absl::Time since);
  // What `found` needs read (see the class comment): nothing when it is
  // provably Ferry's own write alone, the journal when it is provably one
  // update of someone else's that changed no column read.
  HistoryNeeded HistoryOf(const Found& found, const ReadMark& mark) const;
  // Notes that every version up to `found` of its incident was delivered
  // or proven an echo.
  void Remember(const Found& found);
  // The event of `found`, or nullopt when it is Ferry's own write.
  absl::StatusOr<std::optional<ferry::v1::ChangeEvent>> EventOf(const Found& found,
                                                                 const ReadMark& mark,
                                                                 const History& history) const;

  TableClient* const client_;
  const ServiceNowReaderOptions options_;
  // False once sys_audit answered 403: the reader then uses the current
  // state (until it is made again, on a reload).
  bool audit_readable_ = true;
  // By incident sys_id, the newest version this reader returned a change
  // for or skipped, its history accounted for. In memory only (a new
  // reader reads history again), at most kMaxRemembered incidents.
  std::map<std::string, Remembered> remembered_;
};

}  // namespace ferry::servicenow
