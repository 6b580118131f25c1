#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "connectors/pagerduty/pd_account_log.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_identity.h"
#include "connectors/pagerduty/pd_incident_cache.h"
#include "connectors/pagerduty/pd_incident_criteria.h"
#include "connectors/pagerduty/pd_log_scan.h"
#include "connectors/pagerduty/pd_log_window.h"
#include "engine/connector/connector.h"

namespace ferry::pagerduty {

// How a PdReader reads.
struct PdReaderOptions {
  // SystemConfig.name, for Entity.system.
  std::string system;
  // The partition: project is the service id; criteria in PagerDuty's query
  // syntax ("statuses[]=triggered&statuses[]=acknowledged&incident_key=abc",
  // also "urgencies[]" and "priority_ids[]").
  engine::ReaderOptions reader;
  // Also emit status updates as comments of kind "status_update".
  bool status_updates_as_comments = false;
  // How far back reads look: the overlap, and how often it is read again.
  LogScanOptions scan;
  // Longest since/until window of one request; below PagerDuty's 6 months.
  absl::Duration max_window = absl::Hours(24 * 30);
  // A window holding more log entries than this is narrowed until it does
  // not, so no request passes the 10,000 offset cap; it bounds the entries
  // a reader holds in memory. Each window ends in a part page of log
  // entries, so wider windows cost fewer calls.
  int window_entries = 2000;
  // "Now"; null means absl::Now().
  std::function<absl::Time()> now;
  // The account's shared log, which every reader of the account reads
  // from (see "Shared log" below); null: this reader reads the log alone.
  std::shared_ptr<AccountLog> account_log;
};

// Reads every change to the incidents of one service (engine::ChangeReader)
// by following GET /log_entries, since /incidents?since filters on creation
// time only: an update to a months-old incident is seen.
//
// Each log entry of the service by someone other than the integration user
// (agent != PdIdentity::Me(); notifications and automatic assignments are
// not changes) becomes one ChangeEvent, oldest first, with the incident as
// it is now (Entity fields as in pd_entity.h), the notes of other people as
// comments (and the entry's status update, when asked), the field the entry
// changed (Status, Priority, Urgency, Assignee) and `created` for the
// first trigger.
// Incidents that fail the criteria are skipped. Title and conference bridge
// edits leave no log entry in PagerDuty, so they are seen only with the next
// logged change of the incident.
//
// API calls: one /log_entries page per 100 entries (plus about one request
// per read to find a window's width), with include[]=incidents. When
// reader.fields_read names no conference field, each changed incident is
// the one its log entries carry (IncidentCache::IncidentSource), at no
// further call, with Description from its trigger entry (or one GET, when
// the mapping reads Description and the read did not see the creation).
// Otherwise (fields_read unknown, or a conference field read) the
// incidents a read sees created come from one /incidents list over the
// read, 100 a page, with Description from their trigger entries, and any
// other changed incident costs one GET /incidents/{id}. Notes are fetched
// only when the log shows an incident may have new ones: an annotate entry,
// or an incident neither created within this read nor reported (with its
// notes) by an earlier read that this one goes on from (its `after` is
// where that read ended; any other start, a restart or a rewind, forgets
// which were reported).
//
// Criteria are checked on every incident as it is now, so an update that
// makes an old incident meet them is synced. They are not sent as filters:
// /log_entries has none, and on the /incidents list an incident left out
// could as well be an older one triggered again, which would cost a GET
// each to tell apart; unfiltered, one list page answers for 100 new
// incidents whatever the criteria.
//
// A read that stops at max_changes keeps the rest of its window in memory;
// the next read, when it starts at the position that read ended at (as the
// engine's next read does), goes on from there instead of reading the
// overlap and that window again. A read that went to the end lets the next
// one from its end position read only from a few seconds before where it
// stopped, for scan.overlap_reread_every; the position then keeps where the
// overlap starts (ScanPosition::reread_from), and the next read from any
// other position (a rewind, a restart) or after that span reads the log
// from there.
//
// Positions: time is how far the read has looked, tie_breaker the last log
// entry id, cursor the ids of entries seen within scan.overlap of that time or
// since reread_from (so a restart from any position neither repeats nor
// loses an entry). Skipped entries advance ChangePage::scanned_to.
//
// Requests for windows that ended more than an hour ago wait in the
// credential's budget as backfill, so live changes go first.
//
// Shared log: with options.account_log, a read ends where the account's
// log is held to (AccountLog::Refresh: one fetch of the log's tail serves
// every reader of the account) instead of now, and reads each window that
// starts within what the AccountLog holds from memory, at no API cost, so
// every read re-reads its whole overlap there (scan.overlap_reread_every is
// not used). A window that starts before (a new service, a restart, a
// rewind, a resumed pause, a backfill) is read from the API as above
// (AccountLog::CatchUp: readers catching up from the same place share
// those reads too) until the read reaches what is held: it then goes on
// with the others. The checkpoint is this reader's own throughout.
//
// Errors: PdApi's (transient ones are retried by the engine; nothing is
// marked read before it is returned); FAILED_PRECONDITION when more than
// 10,000 log entries share one second. Thread-compatible.
//
// The pieces: LogScan (pd_log_scan.h) walks the log and keeps the position
// and what a read leaves to the next, LogWindowReader (pd_log_window.h)
// reads its windows, IncidentCache (pd_incident_cache.h) the incidents,
// IncidentCriteria (pd_incident_criteria.h) selects them and
// LogEntryToChange (pd_log_translation.h) makes the events.
class PdReader : public engine::ChangeReader {
 public:
  // INVALID_ARGUMENT, naming the parameter, for criteria PagerDuty does not
  // filter incidents on.
  static absl::StatusOr<std::unique_ptr<PdReader>> Create(
      std::shared_ptr<const PdApi> api, std::shared_ptr<PdIdentity> identity,
      PdReaderOptions options);

  ~PdReader() override;

  absl::StatusOr<engine::ChangePage> ReadChanges(
      const std::optional<ferry::v1::SourcePosition>& after,
      int max_changes) override;

 private:
  PdReader(std::shared_ptr<const PdApi> api, std::shared_ptr<PdIdentity> identity,
           PdReaderOptions options, IncidentCriteria criteria);

  // The entries of `window` (widened to `now`, the read's end) from the
  // shared log, telling it this reader has caught up; nullopt when it does
  // not hold them (or there is none).
  std::optional<std::vector<nlohmann::json>> SharedEntries(LogScan::Window& window,
                                                           absl::Time now) const;
  // Reports the held window's entries as changes in `page` until it holds
  // max_changes; sets page.more when that stops it before the window's end.
  absl::Status ReadHeldEntries(const std::string& me_id, int max_changes,
                               engine::ChangePage& page);
  // The change `entry` records, or nullopt when it is not one to sync.
  absl::StatusOr<std::optional<ferry::v1::ChangeEvent>> EventFor(const nlohmann::json& entry,
                                                                  const std::string& me_id);

  std::shared_ptr<PdIdentity> identity_;
  const PdReaderOptions options_;
  const IncidentCriteria criteria_;
  LogScan scan_;
  LogWindowReader windows_;
  // Its id in options_.account_log, when there is one.
  int account_reader_ = -1;
  // Kept between reads only for a read that goes on with the window the
  // last one stopped in (but for which incidents' notes were reported).
  IncidentCache incidents_;
  // Where the last read ended (its last change or scanned_to): a read from
  // elsewhere may have missed annotate entries.
  std::optional<ferry::v1::SourcePosition> last_end_;
};

}  // namespace ferry::pagerduty
