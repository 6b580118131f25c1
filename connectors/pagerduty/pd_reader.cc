#include "connectors/pagerduty/pd_reader.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "connectors/pagerduty/pd_entity.h"
#include "google/protobuf/util/message_differencer.h"
#include "connectors/pagerduty/pd_log_translation.h"
#include "http/json_fields.h"

namespace ferry::pagerduty {
namespace {

// Windows that ended longer ago than this are backfill.
constexpr absl::Duration kLiveSpan = absl::Hours(1);

// Where a reader's incidents come from: the log entries, when the mapping
// is known to read no field their expansion leaves out (the conference
// bridge; Description comes from the trigger entry, or a GET when the read
// did not see it); GET /incidents/{id} otherwise.
IncidentCache::IncidentSource IncidentSourceFor(const engine::ReaderOptions& reader) {
  using Source = IncidentCache::IncidentSource;
  if (!reader.fields_read.has_value()) return Source::kGet;
  const std::set<std::string>& read = *reader.fields_read;
  if (read.count("Conference Number") > 0 || read.count("Conference URL") > 0) {
    return Source::kGet;
  }
  return read.count("Description") > 0 ? Source::kLogEntriesWithBody : Source::kLogEntries;
}

// Whether a change of an incident must carry its body (Description) even
// when the log's expansion lacks it: unless the mapping reads Description
// only to create and the incident is linked (its counterpart exists).
IncidentCache::BodyNeeded BodyNeededFor(const engine::ReaderOptions& reader) {
  if (!reader.linked || !reader.fields_read_when_linked.has_value() ||
      reader.fields_read_when_linked->count("Description") > 0) {
    return nullptr;
  }
  return [linked = reader.linked](const std::string& id) { return !linked(id); };
}

}  // namespace

absl::StatusOr<std::unique_ptr<PdReader>> PdReader::Create(
    std::shared_ptr<const PdApi> api, std::shared_ptr<PdIdentity> identity,
    PdReaderOptions options) {
  auto criteria = IncidentCriteria::Parse(options.reader.criteria);
  if (!criteria.ok()) return criteria.status();
  if (!options.now) options.now = [] { return absl::Now(); };
  // Reads of the shared log's memory cost nothing: each reads the whole
  // overlap there.
  if (options.account_log != nullptr) options.scan.overlap_reread_every = absl::ZeroDuration();
  return std::unique_ptr<PdReader>(new PdReader(std::move(api), std::move(identity),
                                                std::move(options), *std::move(criteria)));
}

PdReader::PdReader(std::shared_ptr<const PdApi> api, std::shared_ptr<PdIdentity> identity,
                   PdReaderOptions options, IncidentCriteria criteria)
    : identity_(std::move(identity)),
      options_(std::move(options)),
      criteria_(std::move(criteria)),
      scan_(options_.scan, options_.reader.start, options_.now()),
      windows_(api, options_.window_entries, options_.max_window),
      incidents_(api, options_.reader.project, IncidentSourceFor(options_.reader),
                 options_.account_log != nullptr ? options_.account_log->Bodies() : nullptr,
                 BodyNeededFor(options_.reader)) {
  if (options_.account_log != nullptr) account_reader_ = options_.account_log->Join();
}

PdReader::~PdReader() {
  if (options_.account_log != nullptr) options_.account_log->Leave(account_reader_);
}

absl::StatusOr<engine::ChangePage> PdReader::ReadChanges(
    const std::optional<ferry::v1::SourcePosition>& after, int max_changes) {
  // PagerDuty times have whole seconds and `until` is exclusive: look to the
  // end of the current second. Entries stamped later in it are still in the
  // next read's overlap.
  absl::Time now = absl::FromUnixSeconds(absl::ToUnixSeconds(options_.now()) + 1);
  if (options_.account_log != nullptr) {
    auto held_to = options_.account_log->Refresh(account_reader_);
    if (!held_to.ok()) return held_to.status();
    now = *held_to;
  }
  // Begun before anything can fail, so a failed read leaves nothing to the
  // next one.
  if (absl::Status begun = scan_.Begin(after, now); !begun.ok()) return begun;
  // Which incidents' notes were all reported holds only for a read that
  // goes on from where the last one ended.
  const bool goes_on = after.has_value() && last_end_.has_value() &&
                       google::protobuf::util::MessageDifferencer::Equals(*after, *last_end_);
  if (!goes_on) incidents_.ForgetReportedNotes();
  last_end_.reset();
  auto me = identity_->Me();
  if (!me.ok()) return me.status();
  const std::string me_id = http::StringOr(*me, "id");
  // The incidents fetched for the window the last read stopped in serve
  // the rest of it; any other read fetches them again.
  if (!scan_.flags().holds_window()) incidents_.Reset(now);
  engine::ChangePage page;
  while (!page.more && !scan_.Done()) {
    if (std::optional<LogScan::Window> window = scan_.NextWindow(windows_.width())) {
      const http::RequestPriority priority = now - window->until > kLiveSpan
                                                 ? http::RequestPriority::kBackfill
                                                 : http::RequestPriority::kLive;
      auto entries = SharedEntries(*window, now);
      if (!entries.has_value()) {
        if (options_.account_log == nullptr) {
          auto read = windows_.Read(window->since, &window->until, priority);
          if (!read.ok()) return read.status();
          entries = *std::move(read);
        } else {
          // Caught up to what the log holds, the read goes on from memory:
          // none of it is read from the API twice.
          const std::optional<absl::Time> held = options_.account_log->HeldFrom();
          if (held.has_value() && *held > window->since) {
            window->until = std::min(window->until, *held);
          }
          auto shared = options_.account_log->CatchUp(account_reader_, windows_, window->since,
                                                      &window->until, priority);
          if (!shared.ok()) return shared.status();
          // A slower reader still needs the windows kept: the read ends
          // here, and goes on with this window when woken.
          if (!shared->has_value()) break;
          entries = **std::move(shared);
        }
      }
      // Past the end of the read that fetched and listed the incidents
      // known so far (a read this one goes on from), they may have changed.
      incidents_.Expire(window->until, now);
      if (absl::Status listed = incidents_.ListNew(
              *entries, [this](const std::string& id) { return scan_.Seen(id); },
              window->since, now, priority);
          !listed.ok()) {
        return listed;
      }
      scan_.Hold(window->until, *std::move(entries));
    }
    if (absl::Status read = ReadHeldEntries(me_id, max_changes, page); !read.ok()) return read;
  }
  page.scanned_to = scan_.End();
  if (page.scanned_to.has_value()) {
    last_end_ = page.scanned_to;
  } else if (!page.changes.empty()) {
    last_end_ = page.changes.back().position();
  } else {
    last_end_ = after;
  }
  return page;
}

std::optional<std::vector<nlohmann::json>> PdReader::SharedEntries(LogScan::Window& window,
                                                                  absl::Time now) const {
  if (options_.account_log == nullptr) return std::nullopt;
  auto entries = options_.account_log->Entries(window.since, now);
  if (entries.has_value()) {
    // Held entries reach to the read's end: one window.
    window.until = now;
    options_.account_log->CaughtUp(account_reader_);
  }
  return entries;
}

absl::Status PdReader::ReadHeldEntries(const std::string& me_id, int max_changes,
                                       engine::ChangePage& page) {
  for (const nlohmann::json* entry = scan_.Peek(); entry != nullptr; entry = scan_.Peek()) {
    const bool seen = scan_.Seen(LogEntryId(*entry));
    if (!seen && static_cast<int>(page.changes.size()) >= max_changes) {
      page.more = true;
      return absl::OkStatus();
    }
    incidents_.NoteRead(*entry, me_id);
    if (seen) {
      scan_.Skip();
      continue;
    }
    auto time = LogEntryTime(*entry);
    if (!time.ok()) return time.status();
    absl::StatusOr<std::optional<ferry::v1::ChangeEvent>> event = std::nullopt;
    if (scan_.Reportable(*time)) event = EventFor(*entry, me_id);
    if (!event.ok()) return event.status();
    scan_.Record(*time, event->has_value());
    if (event->has_value()) {
      *(*event)->mutable_position() = scan_.Position();
      page.changes.push_back(**std::move(event));
    }
  }
  scan_.FinishWindow();
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ferry::v1::ChangeEvent>> PdReader::EventFor(
    const nlohmann::json& entry, const std::string& me_id) {
  const std::optional<std::string> incident_id =
      ChangedIncidentId(entry, me_id, options_.reader.project);
  if (!incident_id.has_value()) return std::nullopt;
  auto incident = incidents_.Fetch(*incident_id);
  if (!incident.ok()) return incident.status();
  if (*incident == nullptr || !criteria_.Matches((*incident)->json)) return std::nullopt;
  incidents_.NotesReported(*incident_id);
  ChangeContext context;
  context.system = options_.system;
  context.project = options_.reader.project;
  context.integration = options_.reader.integration;
  context.me_id = me_id;
  context.status_updates_as_comments = options_.status_updates_as_comments;
  return LogEntryToChange(entry, (*incident)->json, (*incident)->notes, context);
}

}  // namespace ferry::pagerduty
