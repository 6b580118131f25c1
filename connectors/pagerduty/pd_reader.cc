#include "connectors/pagerduty/pd_reader.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "connectors/pagerduty/pd_entity.h"
#include "connectors/pagerduty/pd_log_translation.h"
#include "connectors/pagerduty/scan_position.h"
#include "google/protobuf/util/time_util.h"

namespace ferry::pagerduty {

struct PdReader::Incident {
  nlohmann::json json;
  std::vector<ferry::v1::Comment> notes;
  // False while the log shows no note could exist yet.
  bool notes_fetched = false;
};

// What one ReadChanges call has learnt from the log so far.
struct PdReader::ReadState {
  // Incident id -> the incident, fetched once per call.
  std::map<std::string, Incident> cache;
  // Ids of every log entry read in this call, up to the one at hand.
  std::set<std::string> read_ids;
  // Incidents with an annotate (note) entry among them.
  std::set<std::string> annotated;
  // The `now` of the read that fetched `cache` and `list`: they hold the
  // incidents as they were after every entry before it.
  absl::Time fetched_until = absl::InfinitePast();
  // The /incidents list of the service created from the first window that
  // needed it to the read's end, oldest first, read a page at a time as
  // windows need it: each page is full but the last, whatever the windows.
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
  } list;
};

// What the last read leaves to the next (PdReader::continuation_).
struct PdReader::Continuation {
  // The serialized position that read ended at; only a read from it uses
  // the rest.
  std::string position;
  // When that read stopped at max_changes: its window's entries not yet
  // returned, oldest first. Empty when it read to its end.
  std::vector<nlohmann::json> entries;
  // The end of the window of `entries`, or where the finished read reached.
  absl::Time until;
  absl::Time floor;
  ReadState state;
  // Whether that read looked back only a few seconds (see ReadChanges).
  bool fresh = false;
};

namespace {

// A read between re-reads of the overlap looks this far before where the
// last read ended, for entries stamped in that read's last second (or by a
// clock a little behind) but shown after it.
constexpr absl::Duration kFreshMargin = absl::Seconds(5);
// Windows that ended longer ago than this are backfill.
constexpr absl::Duration kLiveSpan = absl::Hours(1);
// The /incidents list for a window's new incidents looks this much further
// either side, in case an incident's created_at and its trigger entry's
// time differ; one found outside it costs a GET, nothing worse.
constexpr absl::Duration kCreatedMargin = absl::Seconds(5);

// A read of the overlap has read every entry before `time` again; those
// before `time - overlap` were shown by then, so it need not start before
// that again (nor at all once the overlap itself starts later).
void RereadUpTo(absl::Time time, absl::Duration overlap, ScanPosition& scan) {
  if (!scan.reread_from.has_value()) return;
  scan.reread_from = std::max(*scan.reread_from, time - overlap);
  if (*scan.reread_from >= scan.horizon - overlap) scan.reread_from.reset();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PdReader>> PdReader::Create(
    std::shared_ptr<const PdApi> api, std::shared_ptr<PdIdentity> identity,
    PdReaderOptions options) {
  auto criteria = IncidentCriteria::Parse(options.reader.criteria);
  if (!criteria.ok()) return criteria.status();
  if (!options.now) options.now = [] { return absl::Now(); };
  return std::unique_ptr<PdReader>(new PdReader(std::move(api), std::move(identity),
                                                std::move(options), *std::move(criteria)));
}

PdReader::PdReader(std::shared_ptr<const PdApi> api, std::shared_ptr<PdIdentity> identity,
                   PdReaderOptions options, IncidentCriteria criteria)
    : api_(std::move(api)),
      identity_(std::move(identity)),
      options_(std::move(options)),
      criteria_(std::move(criteria)),
      created_at_(options_.now()),
      window_hint_(options_.max_window) {}

PdReader::~PdReader() = default;

absl::StatusOr<std::vector<nlohmann::json>> PdReader::ReadWindow(
    absl::Time since, absl::Time* until, http::RequestPriority priority) {
  while (true) {
    const QueryParams window = {{"since", FormatPdTime(since)},
                                {"until", FormatPdTime(*until)}};
    auto first = api_->GetPage("/log_entries", window, "log_entries", 0, kMaxPageLimit,
                               true, priority);
    if (!first.ok()) return first.status();
    const int64_t total = first->total.value_or(static_cast<int64_t>(first->items.size()));
    // Aim at three quarters of window_entries at this window's density, so
    // one narrowing (and not a halving per step) usually fits, and a steady
    // stream needs none.
    const int64_t target = std::max(1, options_.window_entries * 3 / 4);
    if (total > options_.window_entries && *until - since > absl::Seconds(1)) {
      const int64_t seconds = absl::ToInt64Seconds(*until - since);
      *until = since + absl::Seconds(std::clamp<int64_t>(seconds * target / total, 1,
                                                         seconds / 2));
      continue;
    }
    window_hint_ = std::clamp((*until - since) * target / std::max<int64_t>(total, 1),
                              absl::Seconds(1), options_.max_window);
    if (total > kMaxOffsetPlusLimit) {
      return absl::FailedPreconditionError(absl::StrCat(
          "PagerDuty has ", total, " log entries in the second from ", FormatPdTime(since),
          ", more than its offset cap of ", kMaxOffsetPlusLimit, " lets a client read"));
    }
    // Newest first, page by page; entries added meanwhile shift the pages, so
    // some are read twice (dropped below), none skipped.
    std::vector<nlohmann::json> entries = std::move(first->items);
    bool more = first->more;
    while (more && static_cast<int>(entries.size()) < kMaxOffsetPlusLimit) {
      const int offset = static_cast<int>(entries.size());
      auto page = api_->GetPage("/log_entries", window, "log_entries", offset,
                                std::min(kMaxPageLimit, kMaxOffsetPlusLimit - offset), false,
                                priority);
      if (!page.ok()) return page.status();
      if (page->items.empty()) break;
      more = page->more;
      for (auto& item : page->items) entries.push_back(std::move(item));
    }
    std::vector<std::pair<absl::Time, nlohmann::json>> timed;
    std::set<std::string> ids;
    for (auto& entry : entries) {
      if (!ids.insert(StringMember(entry, "id")).second) continue;
      auto time = ParsePdTime(StringMember(entry, "created_at"));
      if (!time.ok()) return time.status();
      timed.emplace_back(*time, std::move(entry));
    }
    std::stable_sort(timed.begin(), timed.end(), [](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return StringMember(a.second, "id") < StringMember(b.second, "id");
    });
    std::vector<nlohmann::json> sorted;
    for (auto& [time, entry] : timed) sorted.push_back(std::move(entry));
    return sorted;
  }
}

absl::Status PdReader::ListNewIncidents(const std::vector<nlohmann::json>& entries,
                                        const ScanPosition& scan, absl::Time since,
                                        absl::Time now, http::RequestPriority priority,
                                        ReadState& state) const {
  // Unread trigger entries of the service whose incident is not known yet,
  // and the newest of their times.
  std::map<std::string, const nlohmann::json*> triggers;
  absl::Time newest = absl::InfinitePast();
  for (const auto& entry : entries) {
    const nlohmann::json service = entry.value("service", nlohmann::json());
    const nlohmann::json incident = entry.value("incident", nlohmann::json());
    if (StringMember(entry, "type") == "trigger_log_entry" && scan.seen.count(StringMember(entry, "id")) == 0 &&
        service.is_object() &&
        StringMember(service, "id") == options_.reader.project && incident.is_object() &&
        state.cache.count(StringMember(incident, "id")) == 0) {
      auto time = ParsePdTime(StringMember(entry, "created_at"));
      if (!time.ok()) return time.status();
      triggers[StringMember(entry, "id")] = &entry;
      newest = std::max(newest, *time);
    }
  }
  ReadState::NewIncidentList& list = state.list;
  // Caches the listed incidents these triggers created. Complete only with
  // the bridge and the creation's details (the body, which lists leave
  // out); anything else is fetched by id.
  auto take_listed = [&] {
    for (auto it = triggers.begin(); it != triggers.end();) {
      auto listed = list.by_trigger.find(it->first);
      if (listed == list.by_trigger.end()) {
        ++it;
        continue;
      }
      nlohmann::json json = std::move(listed->second);
      list.by_trigger.erase(listed);
      const nlohmann::json channel = it->second->value("channel", nlohmann::json());
      if (channel.is_object() && channel.contains("details")) {
        json["body"] = {{"type", "incident_body"}, {"details", channel["details"]}};
        const std::string id = StringMember(json, "id");
        state.cache[id].json = std::move(json);
      }
      it = triggers.erase(it);
    }
  };
  take_listed();
  // One GET by id costs no more than a list page. Without the criteria as
  // filters: an incident a filtered list left out could fail them or be an
  // older one triggered again, and only a GET each would tell; unfiltered,
  // absence means "created elsewhen".
  while (triggers.size() >= 2 && !list.done && list.listed_to <= newest + kCreatedMargin) {
    if (!list.started) {
      list = {};
      list.started = true;
      list.since = since - kCreatedMargin;
      list.until = now + kCreatedMargin;
    }
    // More than the offset cap created in the read: the rest by id.
    if (list.offset + kMaxPageLimit > kMaxOffsetPlusLimit) break;
    QueryParams params = {{"service_ids[]", options_.reader.project},
                          {"since", FormatPdTime(list.since)},
                          {"until", FormatPdTime(list.until)},
                          {"sort_by", "created_at:asc"},
                          {"include[]", "conference_bridge"}};
    auto page = api_->GetPage("/incidents", params, "incidents", list.offset, kMaxPageLimit,
                              false, priority);
    if (!page.ok()) return page.status();
    // Advance by what came back (PagerDuty REST API: Pagination); incidents created meanwhile
    // come after the offset, so none is skipped.
    list.offset += static_cast<int>(page->items.size());
    list.done = !page->more || page->items.empty();
    for (auto& json : page->items) {
      auto created = ParsePdTime(StringMember(json, "created_at"));
      if (created.ok()) list.listed_to = std::max(list.listed_to, *created);
      const nlohmann::json first = json.value("first_trigger_log_entry", nlohmann::json());
      if (first.is_object() && json.contains("conference_bridge")) {
        list.by_trigger[StringMember(first, "id")] = std::move(json);
      }
    }
    take_listed();
  }
  return absl::OkStatus();
}

absl::StatusOr<const PdReader::Incident*> PdReader::FetchIncident(
    const std::string& id, ReadState& state) const {
  auto cached = state.cache.find(id);
  if (cached == state.cache.end()) {
    auto body = api_->Get(absl::StrCat("/incidents/", id),
                          {{"include[]", "body"}, {"include[]", "conference_bridge"}});
    if (absl::IsNotFound(body.status()) || absl::IsPermissionDenied(body.status())) {
      return nullptr;
    }
    if (!body.ok()) return body.status();
    Incident incident;
    incident.json = (*body)["incident"];
    cached = state.cache.emplace(id, std::move(incident)).first;
  }
  Incident& incident = cached->second;
  // Notes exist only after an annotate entry: an incident whose creation
  // this call read, with no annotate entry since, has none.
  const nlohmann::json first_trigger =
      incident.json.value("first_trigger_log_entry", nlohmann::json());
  const bool created_in_view = first_trigger.is_object() &&
                               state.read_ids.count(StringMember(first_trigger, "id")) > 0;
  if (incident.notes_fetched || (created_in_view && state.annotated.count(id) == 0)) {
    return &incident;
  }
  auto notes = api_->Get(absl::StrCat("/incidents/", id, "/notes"));
  if (!notes.ok()) return notes.status();
  for (const auto& note : notes->value("notes", nlohmann::json::array())) {
    auto comment = NoteToComment(note);
    if (!comment.ok()) return comment.status();
    incident.notes.push_back(*std::move(comment));
  }
  incident.notes_fetched = true;
  return &incident;
}

absl::StatusOr<std::optional<ferry::v1::ChangeEvent>> PdReader::EventFor(
    const nlohmann::json& entry, const std::string& me, ReadState& state) const {
  const std::optional<std::string> incident_id =
      ChangedIncidentId(entry, me, options_.reader.project);
  if (!incident_id.has_value()) return std::nullopt;
  auto incident = FetchIncident(*incident_id, state);
  if (!incident.ok()) return incident.status();
  if (*incident == nullptr || !criteria_.Matches((*incident)->json)) return std::nullopt;
  ChangeContext context;
  context.system = options_.system;
  context.project = options_.reader.project;
  context.integration = options_.reader.integration;
  context.me_id = me;
  context.status_updates_as_comments = options_.status_updates_as_comments;
  return LogEntryToChange(entry, (*incident)->json, (*incident)->notes, context);
}

absl::StatusOr<engine::ChangePage> PdReader::ReadChanges(
    const std::optional<ferry::v1::SourcePosition>& after, int max_changes) {
  // A continuation serves only the read that starts where it stopped; any
  // other read (or a failed one) drops it.
  std::unique_ptr<Continuation> resumed = std::move(continuation_);
  auto me = identity_->Me();
  if (!me.ok()) return me.status();
  const std::string me_id = StringMember(*me, "id");
  ScanPosition scan;
  const auto& from = after.has_value() ? after : options_.reader.start;
  if (from.has_value()) {
    auto decoded = ScanPosition::FromPosition(*from);
    if (!decoded.ok()) return decoded.status();
    scan = *std::move(decoded);
  } else {
    scan.horizon = absl::FromUnixSeconds(absl::ToUnixSeconds(created_at_));
  }
  // Without a checkpoint nothing before the start is a change; with one, an
  // unseen entry in the overlap is one PagerDuty showed late.
  absl::Time floor = after.has_value() ? absl::InfinitePast() : scan.horizon;
  // PagerDuty times have whole seconds and `until` is exclusive: look to the
  // end of the current second. Entries stamped later in it are still in the
  // next read's overlap.
  const absl::Time now = absl::FromUnixSeconds(absl::ToUnixSeconds(options_.now()) + 1);
  engine::ChangePage page;
  ReadState state;
  state.fetched_until = now;
  std::vector<nlohmann::json> entries;
  absl::Time since = scan.LookFrom(options_.overlap);
  absl::Time until = since;
  // True while `entries` holds the rest of the window the last read stopped
  // in: the read goes on from there instead of reading the overlap and that
  // window again.
  bool pending = false;
  // True when the read looks back only a few seconds; the position's
  // reread_from then keeps where the next read of the overlap must start.
  bool fresh = false;
  bool moved_since_last_change = false;
  if (resumed != nullptr && after.has_value() &&
      after->SerializeAsString() == resumed->position) {
    if (!resumed->entries.empty()) {
      entries = std::move(resumed->entries);
      until = resumed->until;
      floor = resumed->floor;
      state = std::move(resumed->state);
      fresh = resumed->fresh;
      pending = true;
    } else if (now - since < options_.overlap + options_.overlap_reread_every) {
      fresh = true;
      if (!scan.reread_from.has_value()) {
        scan.reread_from = since;
        moved_since_last_change = true;
      }
      since = std::max(since, resumed->until - kFreshMargin);
    }
  }
  while (pending || since < now) {
    if (!pending) {
      until = std::min(since + window_hint_, now);
      const http::RequestPriority priority = now - until > kLiveSpan
                                                 ? http::RequestPriority::kBackfill
                                                 : http::RequestPriority::kLive;
      auto read = ReadWindow(since, &until, priority);
      if (!read.ok()) return read.status();
      if (until > state.fetched_until) {
        // Past the end of the read that fetched and listed the incidents
        // known so far (a read this one goes on from): they may have
        // changed since, so they are fetched again.
        state.cache.clear();
        state.list = {};
        state.fetched_until = now;
      }
      if (absl::Status listed = ListNewIncidents(*read, scan, since, now, priority, state);
          !listed.ok()) {
        return listed;
      }
      entries = *std::move(read);
    }
    for (size_t i = 0; i < entries.size(); ++i) {
      const nlohmann::json& entry = entries[i];
      const std::string id = StringMember(entry, "id");
      if (scan.seen.count(id) == 0 && static_cast<int>(page.changes.size()) >= max_changes) {
        page.more = true;
        auto rest = std::make_unique<Continuation>();
        rest->entries.assign(std::make_move_iterator(entries.begin() + i),
                             std::make_move_iterator(entries.end()));
        rest->until = until;
        rest->floor = floor;
        rest->state = std::move(state);
        rest->fresh = fresh;
        continuation_ = std::move(rest);
        break;
      }
      state.read_ids.insert(id);
      if (StringMember(entry, "type") == "annotate_log_entry") {
        const nlohmann::json incident = entry.value("incident", nlohmann::json());
        if (incident.is_object()) state.annotated.insert(StringMember(incident, "id"));
      }
      if (scan.seen.count(id) > 0) continue;
      auto time = ParsePdTime(StringMember(entry, "created_at"));
      if (!time.ok()) return time.status();
      absl::StatusOr<std::optional<ferry::v1::ChangeEvent>> event = std::nullopt;
      if (*time >= floor) event = EventFor(entry, me_id, state);
      if (!event.ok()) return event.status();
      scan.See(id, *time);
      if (!fresh) RereadUpTo(*time, options_.overlap, scan);
      scan.Prune(options_.overlap);
      moved_since_last_change = !event->has_value();
      if (event->has_value()) {
        *(*event)->mutable_position() = scan.ToPosition();
        page.changes.push_back(**std::move(event));
      }
    }
    if (page.more) break;
    entries.clear();
    // The whole window is read: the horizon reaches its end.
    if (until > scan.horizon) {
      scan.horizon = until;
      moved_since_last_change = true;
    }
    if (!fresh && scan.reread_from.has_value()) {
      RereadUpTo(until, options_.overlap, scan);
      moved_since_last_change = true;
    }
    since = until;
    pending = false;
  }
  if (moved_since_last_change) {
    scan.Prune(options_.overlap);
    page.scanned_to = scan.ToPosition();
  }
  if (continuation_ == nullptr) {
    // The read reached `since`; the next may look from there.
    continuation_ = std::make_unique<Continuation>();
    continuation_->until = since;
  }
  // Where the engine reads next: scanned_to, else the last change's
  // position, else `after`, which are all this scan state.
  continuation_->position = scan.ToPosition().SerializeAsString();
  return page;
}

}  // namespace ferry::pagerduty
