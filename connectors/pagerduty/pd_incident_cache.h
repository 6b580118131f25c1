#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_incident_bodies.h"
#include "nlohmann/json.hpp"
#include "proto/entity.pb.h"

namespace ferry::pagerduty {

// The incidents of one service that a read of its log needs, each fetched
// at most once per read: the incidents the read sees created come from one
// GET /incidents list over the read (oldest first, 100 a page, read on only
// as far as the log needs, so only its last page is partial), with
// Description from their trigger entries; any other incident costs one
// GET /incidents/{id}, and its notes one GET /incidents/{id}/notes only when
// the log shows it may have some.
//
// What is kept between reads: everything, until Reset (a read that does
// not go on from the window the last one stopped in) or until a read goes
// past the `now` of the read that fetched them (Expire: they may have
// changed since; what the log showed, the entries read and annotations,
// stays).
//
// With IncidentSource::kLogEntries the log entries carry their incidents
// (include[]=incidents, as LogWindowReader asks): each entry read gives its
// incident as it was when the entry was fetched, the newest (by updated_at)
// is kept, and Fetch takes it instead of a GET, so a change costs no call
// but its notes'. That expansion has neither the body (Description) nor the
// conference bridge: use it only for a reader whose mapping reads no
// conference field. A trigger entry's details give a new incident its
// Description (PagerDuty has no way to change it later), and the cache
// remembers every body it saw across reads (`bodies`), so with
// kLogEntriesWithBody only an incident whose body it never saw (created
// before the reader started, or forgotten beyond the bound) costs a GET,
// and not even that when `body_needed` says its change needs none (the
// incident is linked and the mapping reads Description only to create).
//
// Notes: an annotate entry by anyone but the integration user means the
// incident may have a note to report. Once the incident was reported with
// the notes fetched after that entry was read (NotesReported), the entry
// no longer counts when a later read shows it again.
//
// Errors: PdApi's. Thread-compatible.
class IncidentCache {
 public:
  // Where Fetch takes an incident from.
  enum class IncidentSource {
    // GET /incidents/{id} (and the /incidents list for new ones): every
    // field.
    kGet,
    // The log entries read, when they carry it; a GET otherwise.
    kLogEntries,
    // As kLogEntries, for a reader that needs Description: an incident
    // whose trigger entry (with its details) was not read is fetched with a
    // GET.
    kLogEntriesWithBody,
  };

  struct Incident {
    // The incident's JSON (GET /incidents/{id} with include[]=body and
    // include[]=conference_bridge, or the list's with the trigger's details).
    nlohmann::json json;
    // Its notes, once fetched.
    std::vector<ferry::v1::Comment> notes;
  };

  // Whether a change of incident `id` must carry its body; null: always.
  using BodyNeeded = std::function<bool(const std::string& id)>;

  // A cache of service `service_id`'s incidents, read through `api`,
  // remembering the bodies it sees in `bodies` (shared by the readers of an
  // account; a cache of its own when null).
  IncidentCache(std::shared_ptr<const PdApi> api, std::string service_id,
                IncidentSource source = IncidentSource::kGet,
                std::shared_ptr<IncidentBodies> bodies = nullptr,
                BodyNeeded body_needed = nullptr);

  // Forgets everything: a read ending at `now` starts.
  void Reset(absl::Time now);
  // Before the log is read up to `until`: when that is past the `now` of
  // the read that fetched and listed the incidents held, forgets them (not
  // the entries read) and takes `now` as the new one.
  void Expire(absl::Time until, absl::Time now);
  // Records that `entry` was read (whether new or seen before): an annotate
  // entry by anyone but `me_id` (the integration user) means its incident
  // may have a note to report, and a trigger read here is a creation whose
  // notes all come after it. With kLogEntries, the entry's incident is kept
  // when it is newer than the one held.
  void NoteRead(const nlohmann::json& entry, const std::string& me_id);

  // Caches the incidents that the trigger entries among `entries` (oldest
  // first, of the window from `since`) create, when `seen` says the entry
  // is new and the incident is not cached yet: from the read's /incidents
  // list, which spans `since` (of the first window that needs it) to `now`,
  // or PagerDuty's 6-month range from `since` when that ends first (a
  // checkpoint older than the range must not stall a read), with Description from the trigger entry's details. The list is read only
  // when it answers for two or more incidents (one GET by id costs no more
  // than a page). Incidents it leaves out or gives incompletely are left to
  // Fetch. With kLogEntries, only the triggers that carry no incident are
  // listed.
  absl::Status ListNew(const std::vector<nlohmann::json>& entries,
                       absl::FunctionRef<bool(const std::string& entry_id)> seen,
                       absl::Time since, absl::Time now, http::RequestPriority priority);

  // Incident `id`, fetched at most once per read, with its notes unless the
  // entries read show none can be new: no annotate entry of it among them
  // that a report did not cover, and its creation was read or
  // NotesReported(id) holds; nullptr when it is
  // gone or hidden from the integration user (404, 403). The pointer is
  // valid until Reset or Expire.
  absl::StatusOr<const Incident*> Fetch(const std::string& id);

  // The reader reported incident `id` as Fetch gave it (a change that met
  // the criteria), and will read every log entry after it: until
  // ForgetReportedNotes, a later change of it fetches notes only after an
  // annotate entry not read before those notes were fetched. Kept across
  // Reset; at most kMaxNotesReported ids and as many annotate entries (all
  // are forgotten beyond, which costs a notes GET, never a note).
  void NotesReported(const std::string& id);
  // The next read does not go on from where the last one ended (a restart,
  // a rewind): entries in between may be unread.
  void ForgetReportedNotes();

 private:
  struct Cached {
    Incident incident;
    // False while the log shows no note could exist yet.
    bool notes_fetched = false;
    // The annotate entries of the incident read before its notes were
    // fetched: the notes answer for them.
    std::set<std::string> notes_answer_for;
  };
  // The /incidents list created from the first window that needed it to
  // the read's end, read a page at a time as windows need it.
  struct NewIncidentList {
    bool started = false;
    absl::Time since;
    absl::Time until;
    int offset = 0;
    bool done = false;
    // created_at of the newest incident listed so far.
    absl::Time listed_to = absl::InfinitePast();
    // Listed incidents whose trigger entry is not read yet, by its id.
    std::map<std::string, nlohmann::json> by_trigger;
  };

  // Reads the list's next page into list_.by_trigger.
  absl::Status ListNextPage(http::RequestPriority priority);

  // Keeps the incident `entry` carries (kLogEntries) when it is newer than
  // the one cached.
  void TakeFromEntry(const nlohmann::json& entry);
  // Remembers incident `id`'s body in bodies_, for a reader that needs it.
  void RememberBody(const std::string& id, const nlohmann::json& body);

  std::shared_ptr<const PdApi> api_;
  std::string service_id_;
  const IncidentSource source_;
  // Incident id -> the incident.
  std::map<std::string, Cached> cache_;
  // Ids of every log entry read, up to the one at hand.
  std::set<std::string> read_ids_;
  // Incident id -> its annotate (note) entries among them, by anyone but
  // the integration user, that no report covers.
  std::map<std::string, std::set<std::string>> annotated_;
  static constexpr size_t kMaxNotesReported = 100000;
  // See NotesReported: the incidents, and the annotate entries whose notes
  // were reported.
  std::set<std::string> notes_reported_;
  std::set<std::string> notes_reported_entries_;
  // Kept across reads: see IncidentBodies.
  std::shared_ptr<IncidentBodies> bodies_;
  const BodyNeeded body_needed_;
  // The `now` of the read that fetched `cache_` and `list_`: they hold the
  // incidents as they were after every entry before it.
  absl::Time fetched_until_ = absl::InfinitePast();
  NewIncidentList list_;
};

}  // namespace ferry::pagerduty
