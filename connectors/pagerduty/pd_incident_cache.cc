#include "connectors/pagerduty/pd_incident_cache.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "connectors/pagerduty/pd_entity.h"
#include "connectors/pagerduty/pd_log_translation.h"
#include "http/json_fields.h"

namespace ferry::pagerduty {
namespace {

// The /incidents list for a read's new incidents looks this much further
// either side, in case an incident's created_at and its trigger entry's
// time differ; one found outside it costs a GET, nothing worse.
constexpr absl::Duration kCreatedMargin = absl::Seconds(5);
// PagerDuty's longest since/until range of a list (REST API: List
// incidents, "Maximum range is 6 months"); 180 days is inside any 6 months.
constexpr absl::Duration kMaxListRange = absl::Hours(24 * 180);

// The incident an entry carries in full (include[]=incidents), or nullptr
// for a mere reference.
const nlohmann::json* CarriedIncident(const nlohmann::json& entry) {
  const nlohmann::json& incident = http::MemberOrNull(entry, "incident");
  if (!incident.is_object() || http::StringOr(incident, "type") != "incident" ||
      http::StringOr(incident, "id").empty()) {
    return nullptr;
  }
  return &incident;
}

// The body (Description) a trigger entry's channel carries for the incident
// it created; nullopt when the channel has no details.
std::optional<nlohmann::json> CreationBody(const nlohmann::json& trigger_entry) {
  const nlohmann::json& channel = http::MemberOrNull(trigger_entry, "channel");
  if (!channel.is_object() || !channel.contains("details")) return std::nullopt;
  return nlohmann::json{{"type", "incident_body"},
                        {"details", http::MemberOrNull(channel, "details")}};
}

// The incident's updated_at; InfinitePast when absent or malformed.
absl::Time UpdatedAt(const nlohmann::json& incident) {
  auto time = ParsePdTime(http::StringOr(incident, "updated_at"));
  return time.ok() ? *time : absl::InfinitePast();
}

}  // namespace

IncidentCache::IncidentCache(std::shared_ptr<const PdApi> api, std::string service_id,
                             IncidentSource source, std::shared_ptr<IncidentBodies> bodies,
                             BodyNeeded body_needed)
    : api_(std::move(api)),
      service_id_(std::move(service_id)),
      source_(source),
      bodies_(bodies != nullptr ? std::move(bodies) : std::make_shared<IncidentBodies>()),
      body_needed_(std::move(body_needed)) {}

void IncidentCache::Reset(absl::Time now) {
  cache_.clear();
  read_ids_.clear();
  annotated_.clear();
  list_ = {};
  fetched_until_ = now;
}

void IncidentCache::Expire(absl::Time until, absl::Time now) {
  if (until <= fetched_until_) return;
  cache_.clear();
  list_ = {};
  fetched_until_ = now;
}

void IncidentCache::NoteRead(const nlohmann::json& entry, const std::string& me_id) {
  const std::string entry_id = LogEntryId(entry);
  read_ids_.insert(entry_id);
  if (source_ != IncidentSource::kGet) TakeFromEntry(entry);
  // Ferry's own notes are never reported back (LogEntryToChange drops them).
  if (LogEntryType(entry) == "annotate_log_entry" &&
      http::MemberOrNull(entry, "incident").is_object() && !LoggedByMe(entry, me_id) &&
      notes_reported_entries_.count(entry_id) == 0) {
    annotated_[LogEntryIncidentId(entry)].insert(entry_id);
  }
}

void IncidentCache::TakeFromEntry(const nlohmann::json& entry) {
  // The shared log holds every service's entries; only this one's matter.
  if (LogEntryServiceId(entry) != service_id_) return;
  const nlohmann::json* carried = CarriedIncident(entry);
  if (carried == nullptr) return;
  const std::string id = http::StringOr(*carried, "id");
  Cached& cached = cache_[id];
  // A later fetch of the log carries a newer incident; of two equally new,
  // the later read wins (entries are read oldest first).
  if (!cached.incident.json.is_null() && UpdatedAt(*carried) < UpdatedAt(cached.incident.json)) {
    return;
  }
  nlohmann::json body = http::MemberOrNull(cached.incident.json, "body");
  cached.incident.json = *carried;
  // A creation's details (Description) ride on its trigger entry's channel.
  if (LogEntryType(entry) == "trigger_log_entry") {
    if (std::optional<nlohmann::json> created = CreationBody(entry)) {
      body = *std::move(created);
      RememberBody(id, body);
    }
  }
  if (!body.is_null()) cached.incident.json["body"] = std::move(body);
}

absl::Status IncidentCache::ListNew(const std::vector<nlohmann::json>& entries,
                                    absl::FunctionRef<bool(const std::string&)> seen,
                                    absl::Time since, absl::Time now,
                                    http::RequestPriority priority) {
  // New trigger entries of the service whose incident is not cached yet, by
  // entry id, and the newest of their times.
  std::map<std::string, const nlohmann::json*> triggers;
  absl::Time newest = absl::InfinitePast();
  for (const auto& entry : entries) {
    const std::string incident_id = LogEntryIncidentId(entry);
    if (LogEntryType(entry) != "trigger_log_entry" || seen(LogEntryId(entry)) ||
        LogEntryServiceId(entry) != service_id_ || incident_id.empty() ||
        cache_.count(incident_id) > 0 ||
        (source_ != IncidentSource::kGet && CarriedIncident(entry) != nullptr)) {
      continue;
    }
    auto time = LogEntryTime(entry);
    if (!time.ok()) return time.status();
    triggers[LogEntryId(entry)] = &entry;
    newest = std::max(newest, *time);
  }
  // Caches the listed incidents these triggers created. Complete only with
  // the bridge and the creation's details (the body, which lists leave
  // out); anything else is fetched by id.
  auto take_listed = [&] {
    for (auto it = triggers.begin(); it != triggers.end();) {
      auto listed = list_.by_trigger.find(it->first);
      if (listed == list_.by_trigger.end()) {
        ++it;
        continue;
      }
      nlohmann::json json = std::move(listed->second);
      list_.by_trigger.erase(listed);
      if (std::optional<nlohmann::json> body = CreationBody(*it->second)) {
        const std::string id = http::StringOr(json, "id");
        RememberBody(id, *body);
        json["body"] = *std::move(body);
        cache_[id].incident.json = std::move(json);
      }
      it = triggers.erase(it);
    }
  };
  take_listed();
  while (triggers.size() >= 2 && !list_.done && list_.listed_to <= newest + kCreatedMargin) {
    if (!list_.started) {
      list_ = {};
      list_.started = true;
      list_.since = since - kCreatedMargin;
      // A read from a checkpoint older than PagerDuty's range lists what the
      // range holds; incidents created after it are fetched by id.
      list_.until = std::min(now + kCreatedMargin, list_.since + kMaxListRange);
    }
    // More than the offset cap created in the read: the rest by id.
    if (list_.offset + kMaxPageLimit > kMaxOffsetPlusLimit) break;
    if (absl::Status page = ListNextPage(priority); !page.ok()) return page;
    take_listed();
  }
  return absl::OkStatus();
}

absl::Status IncidentCache::ListNextPage(http::RequestPriority priority) {
  // Not filtered by the criteria: an incident a filtered list left out could
  // fail them or be an older one triggered again, and only a GET each would
  // tell; unfiltered, absence means "created elsewhen".
  const QueryParams params = {{"service_ids[]", service_id_},
                              {"since", FormatPdTime(list_.since)},
                              {"until", FormatPdTime(list_.until)},
                              {"sort_by", "created_at:asc"},
                              {"include[]", "conference_bridge"}};
  auto page = api_->GetPage("/incidents", params, "incidents", list_.offset, kMaxPageLimit,
                            false, priority);
  if (!page.ok()) return page.status();
  // Advance by what came back (PagerDuty REST API: Pagination); incidents
  // created meanwhile come after the offset, so none is skipped.
  for (size_t i = 0; i < page->items.size(); ++i) {
    // Listed incidents are cached by their id.
    const http::JsonReader incident(page->items[i], "PagerDuty GET /incidents",
                                    absl::StrCat("incidents[", list_.offset + i, "]"));
    if (auto id = incident.RequireString("id"); !id.ok()) return id.status();
  }
  list_.offset += static_cast<int>(page->items.size());
  list_.done = !page->more || page->items.empty();
  for (auto& json : page->items) {
    auto created = ParsePdTime(http::StringOr(json, "created_at"));
    if (created.ok()) list_.listed_to = std::max(list_.listed_to, *created);
    if (http::MemberOrNull(json, "first_trigger_log_entry").is_object() &&
        json.contains("conference_bridge")) {
      const std::string trigger_id = FirstTriggerId(json);
      list_.by_trigger[trigger_id] = std::move(json);
    }
  }
  return absl::OkStatus();
}

void IncidentCache::RememberBody(const std::string& id, const nlohmann::json& body) {
  // Only a reader that reads Description looks bodies up.
  if (source_ == IncidentSource::kLogEntriesWithBody) bodies_->Remember(id, body);
}

void IncidentCache::NotesReported(const std::string& id) {
  // Bounded: forgetting costs a notes GET, never a note.
  if (notes_reported_.size() >= kMaxNotesReported) notes_reported_.clear();
  notes_reported_.insert(id);
  auto cached = cache_.find(id);
  auto annotated = annotated_.find(id);
  if (cached == cache_.end() || annotated == annotated_.end()) return;
  if (notes_reported_entries_.size() >= kMaxNotesReported) notes_reported_entries_.clear();
  for (const std::string& entry_id : cached->second.notes_answer_for) {
    notes_reported_entries_.insert(entry_id);
    annotated->second.erase(entry_id);
  }
  if (annotated->second.empty()) annotated_.erase(annotated);
}

void IncidentCache::ForgetReportedNotes() {
  notes_reported_.clear();
  notes_reported_entries_.clear();
}

absl::StatusOr<const IncidentCache::Incident*> IncidentCache::Fetch(const std::string& id) {
  auto cached = cache_.find(id);
  // Description is only in a GET's or a trigger entry's incident, and
  // cannot change after either showed it.
  bool lacks_body = cached != cache_.end() && source_ == IncidentSource::kLogEntriesWithBody &&
                    !cached->second.incident.json.contains("body");
  if (lacks_body) {
    if (std::optional<nlohmann::json> body = bodies_->Find(id); body.has_value()) {
      cached->second.incident.json["body"] = *std::move(body);
      lacks_body = false;
    } else if (body_needed_ && !body_needed_(id)) {
      lacks_body = false;
    }
  }
  if (cached == cache_.end() || lacks_body) {
    const std::string path = absl::StrCat("/incidents/", id);
    auto body = api_->Get(path, {{"include[]", "body"}, {"include[]", "conference_bridge"}});
    if (absl::IsNotFound(body.status()) || absl::IsPermissionDenied(body.status())) {
      return nullptr;
    }
    if (!body.ok()) return body.status();
    auto incident = MemberWithId(*body, "incident", absl::StrCat("PagerDuty GET ", path));
    if (!incident.ok()) return incident.status();
    const nlohmann::json& fetched_body = http::MemberOrNull(*incident, "body");
    if (fetched_body.is_object()) RememberBody(id, fetched_body);
    cached = cache_.try_emplace(id).first;
    cached->second.incident.json = *std::move(incident);
  }
  Cached& entry = cached->second;
  // Notes exist only after an annotate entry: an incident whose creation
  // was read here, with no annotate entry since, has none.
  const std::string first_trigger = FirstTriggerId(entry.incident.json);
  const bool created_in_view = !first_trigger.empty() && read_ids_.count(first_trigger) > 0;
  const bool none_new = created_in_view || notes_reported_.count(id) > 0;
  auto annotated = annotated_.find(id);
  if (entry.notes_fetched || (none_new && annotated == annotated_.end())) {
    return &entry.incident;
  }
  if (annotated != annotated_.end()) entry.notes_answer_for = annotated->second;
  const std::string notes_path = absl::StrCat("/incidents/", id, "/notes");
  auto notes = api_->Get(notes_path);
  if (!notes.ok()) return notes.status();
  auto listed = http::JsonReader(*notes, absl::StrCat("PagerDuty GET ", notes_path))
                    .OptionalArray("notes");
  if (!listed.ok()) return listed.status();
  for (const http::JsonReader& note : *listed) {
    auto comment = NoteToComment(note);
    if (!comment.ok()) return comment.status();
    entry.incident.notes.push_back(*std::move(comment));
  }
  entry.notes_fetched = true;
  return &entry.incident;
}

}  // namespace ferry::pagerduty
