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
      incidents_(api_, options_.reader.project),
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

absl::StatusOr<std::optional<ferry::v1::ChangeEvent>> PdReader::EventFor(
    const nlohmann::json& entry, const std::string& me) {
  const std::optional<std::string> incident_id =
      ChangedIncidentId(entry, me, options_.reader.project);
  if (!incident_id.has_value()) return std::nullopt;
  auto incident = incidents_.Fetch(*incident_id);
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
  // The incidents fetched for the window the last read stopped in serve
  // the rest of it; any other read fetches them again.
  if (!pending) incidents_.Reset(now);
  while (pending || since < now) {
    if (!pending) {
      until = std::min(since + window_hint_, now);
      const http::RequestPriority priority = now - until > kLiveSpan
                                                 ? http::RequestPriority::kBackfill
                                                 : http::RequestPriority::kLive;
      auto read = ReadWindow(since, &until, priority);
      if (!read.ok()) return read.status();
      incidents_.Expire(until, now);
      if (absl::Status listed = incidents_.ListNew(
              *read, [&scan](const std::string& id) { return scan.seen.count(id) > 0; },
              since, now, priority);
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
        rest->fresh = fresh;
        continuation_ = std::move(rest);
        break;
      }
      incidents_.NoteRead(entry);
      if (scan.seen.count(id) > 0) continue;
      auto time = ParsePdTime(StringMember(entry, "created_at"));
      if (!time.ok()) return time.status();
      absl::StatusOr<std::optional<ferry::v1::ChangeEvent>> event = std::nullopt;
      if (*time >= floor) event = EventFor(entry, me_id);
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
