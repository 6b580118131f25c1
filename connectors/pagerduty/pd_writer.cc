#include "connectors/pagerduty/pd_writer.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "connectors/pagerduty/pd_comment_marker.h"
#include "connectors/pagerduty/pd_entity.h"
#include "connectors/query/url_query_dialect.h"
#include "http/json_fields.h"
#include "spdlog/spdlog.h"

namespace ferry::pagerduty {
namespace {

using engine::EntityRef;

EntityRef RefOf(const nlohmann::json& incident) {
  EntityRef ref;
  ref.id = http::StringOr(incident, "id");
  if (const nlohmann::json& number = http::MemberOrNull(incident, "incident_number");
      number.is_number_integer()) {
    ref.key = std::to_string(number.get<int64_t>());
  }
  ref.url = http::StringOr(incident, "html_url");
  return ref;
}

// The text of a value: lookups by name, users by id.
std::string TextOf(const ferry::v1::FieldValue& value) {
  switch (value.kind_case()) {
    case ferry::v1::FieldValue::kText: return value.text();
    case ferry::v1::FieldValue::kLookup:
      return value.lookup().name().empty() ? value.lookup().id() : value.lookup().name();
    case ferry::v1::FieldValue::kUser: return value.user().id();
    case ferry::v1::FieldValue::kNumber: return absl::StrCat(value.number());
    default: return "";
  }
}

std::string IdOf(const ferry::v1::FieldValue& value) {
  if (value.has_lookup() && !value.lookup().id().empty()) return value.lookup().id();
  return TextOf(value);
}

// The incident key Create gives the incident of `request`: the mapped
// Incident Key, else one made of the origin; empty when there is neither.
std::string IncidentKeyFor(const engine::CreateRequest& request) {
  for (const auto& write : request.fields) {
    if (write.target_field() == "Incident Key" &&
        write.sync_when() != ferry::v1::SYNC_WHEN_UPDATE && !TextOf(write.value()).empty()) {
      return TextOf(write.value());
    }
  }
  return request.origin.empty() ? "" : IncidentKeyForOrigin(request.origin);
}

absl::Status CreateOnly(const ferry::v1::FieldWrite& write) {
  return absl::InvalidArgumentError(absl::StrCat(
      "PagerDuty accepts '", write.target_field(),
      "' only when an incident is created; set sync_when to CREATE for the "
      "mapping of '", write.source_field(), "' to '", write.target_field(), "'"));
}

}  // namespace

PdWriter::PdWriter(std::shared_ptr<const PdApi> api, bool reescalate_acknowledged)
    : api_(std::move(api)), reescalate_acknowledged_(reescalate_acknowledged) {}

absl::StatusOr<std::string> PdWriter::PriorityId(const std::string& name) {
  if (!priorities_.has_value()) {
    auto list = api_->ListAll("/priorities", {}, "priorities");
    if (!list.ok()) return list.status();
    priorities_.emplace();
    for (const auto& priority : *list) {
      (*priorities_)[http::StringOr(priority, "name")] = http::StringOr(priority, "id");
    }
  }
  auto it = priorities_->find(name);
  if (it != priorities_->end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [known, id] : *priorities_) names.push_back(known);
  return absl::InvalidArgumentError(absl::StrCat(
      "PagerDuty has no priority named '", name, "'; the account's priorities are: ",
      names.empty() ? "(none; priorities are off)" : absl::StrJoin(names, ", "),
      ". Fix the value map of the Priority field"));
}

absl::Status PdWriter::SetCommonField(const ferry::v1::FieldWrite& write,
                                      nlohmann::json& incident) {
  const std::string& field = write.target_field();
  const bool clear = write.value().kind_case() == ferry::v1::FieldValue::KIND_NOT_SET ||
                     TextOf(write.value()).empty();
  if (field == "Title") {
    if (clear) {
      return absl::InvalidArgumentError(absl::StrCat(
          "PagerDuty incidents need a Title; the value mapped from '",
          write.source_field(), "' is empty"));
    }
    incident["title"] = TextOf(write.value());
  } else if (field == "Priority") {
    if (clear) {
      incident["priority"] = nullptr;
    } else {
      auto id = PriorityId(TextOf(write.value()));
      if (!id.ok()) return id.status();
      incident["priority"] = {{"id", *id}, {"type", "priority_reference"}};
    }
  } else if (field == "Urgency") {
    if (!clear) incident["urgency"] = TextOf(write.value());
  } else if (field == "Conference Number" || field == "Conference URL") {
    if (clear) {
      spdlog::info("PagerDuty cannot clear an incident's {}; left as it is", field);
      return absl::OkStatus();
    }
    incident["conference_bridge"][field == "Conference URL" ? "conference_url"
                                                            : "conference_number"] =
        TextOf(write.value());
  } else if (field == "Assignee") {
    if (!clear) {
      incident["assignments"] = nlohmann::json::array(
          {{{"assignee", {{"id", IdOf(write.value())}, {"type", "user_reference"}}}}});
    }
  } else if (field == "Escalation Policy") {
    if (!clear) {
      incident["escalation_policy"] = {{"id", IdOf(write.value())},
                                       {"type", "escalation_policy_reference"}};
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "PagerDuty incidents have no writable field '", field,
        "'; map to one of Title, Description, Status, Priority, Urgency, "
        "Incident Key, Conference Number, Conference URL, Assignee, Escalation Policy"));
  }
  return absl::OkStatus();
}

absl::Status PdWriter::ExplainWriteError(const absl::Status& status,
                                         const std::string& incident_id,
                                         const std::string& service_id) const {
  if (status.code() != absl::StatusCode::kPermissionDenied) return status;
  std::string service = service_id;
  if (service.empty() && !incident_id.empty()) {
    auto incident = FetchIncident(incident_id);
    if (incident.ok()) service = http::StringOr(http::MemberOrNull(*incident, "service"), "id");
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "the integration user ", api_->from_email().empty() ? "" : api_->from_email() + " ",
      "may not change incidents of PagerDuty service ", service.empty() ? "(unknown)" : service,
      ": it needs the Responder role (or Manager) on that service, its team or "
      "the account; ", status.message()));
}

absl::StatusOr<EntityRef> PdWriter::Create(const engine::CreateRequest& request) {
  nlohmann::json incident = {
      {"type", "incident"},
      {"service", {{"id", request.project}, {"type", "service_reference"}}}};
  for (const auto& write : request.fields) {
    if (write.sync_when() == ferry::v1::SYNC_WHEN_UPDATE) continue;
    const std::string& field = write.target_field();
    if (field == "Description") {
      incident["body"] = {{"type", "incident_body"}, {"details", TextOf(write.value())}};
    } else if (field == "Incident Key") {
      // Set below, with the origin's key as the fallback.
    } else if (field == "Status") {
      // New incidents are triggered; other statuses follow in an update.
    } else if (auto ok = SetCommonField(write, incident); !ok.ok()) {
      return ok;
    }
  }
  if (!incident.contains("title")) {
    return absl::InvalidArgumentError(
        "a PagerDuty incident needs a Title; map a field to Title");
  }
  if (const std::string key = IncidentKeyFor(request); !key.empty()) {
    incident["incident_key"] = key;
  }
  auto created = api_->Post("/incidents", {{"incident", incident}});
  if (!created.ok()) return ExplainWriteError(created.status(), "", request.project);
  auto created_incident = MemberWithId(*created, "incident", "PagerDuty POST /incidents");
  if (!created_incident.ok()) return created_incident.status();
  EntityRef ref = RefOf(*created_incident);
  for (const auto& write : request.fields) {
    if (write.target_field() == "Status" && write.sync_when() != ferry::v1::SYNC_WHEN_UPDATE &&
        TextOf(write.value()) != "triggered" && !TextOf(write.value()).empty()) {
      if (auto ok = Update(ref, {write}); !ok.ok()) return ok;
    }
  }
  return ref;
}

absl::Status PdWriter::Update(const EntityRef& entity,
                              const std::vector<ferry::v1::FieldWrite>& fields) {
  nlohmann::json incident = {{"type", "incident_reference"}};
  for (const auto& write : fields) {
    if (write.sync_when() == ferry::v1::SYNC_WHEN_CREATE) continue;
    const std::string& field = write.target_field();
    if (field == "Description" || field == "Incident Key") return CreateOnly(write);
    if (field == "Status") {
      const std::string wanted = TextOf(write.value());
      auto current = FetchIncident(entity.id);
      if (!current.ok()) return current.status();
      const std::string status = http::StringOr(*current, "status");
      if (wanted == status) continue;
      if (status == "acknowledged" && wanted == "triggered" && reescalate_acknowledged_) {
        incident["escalation_level"] = 1;
        continue;
      }
      if (status == "acknowledged" && wanted == "triggered") {
        return absl::FailedPreconditionError(absl::StrCat(
            "PagerDuty incident ", entity.id,
            " is acknowledged and PagerDuty refuses to set it back to triggered; "
            "resolve it instead, map that status change to no change, or set the "
            "system option reescalate_acknowledged: true to re-escalate it"));
      }
      incident["status"] = wanted;
    } else if (auto ok = SetCommonField(write, incident); !ok.ok()) {
      return ok;
    }
  }
  if (incident.size() == 1) return absl::OkStatus();
  auto updated = api_->Put(absl::StrCat("/incidents/", entity.id), {{"incident", incident}});
  if (!updated.ok()) return ExplainWriteError(updated.status(), entity.id, "");
  return absl::OkStatus();
}

absl::StatusOr<nlohmann::json> PdWriter::FetchIncident(const std::string& id) const {
  const std::string path = absl::StrCat("/incidents/", id);
  auto body = api_->Get(path, {{"include[]", "body"}, {"include[]", "conference_bridge"}});
  if (!body.ok()) return body.status();
  return MemberWithId(*body, "incident", absl::StrCat("PagerDuty GET ", path));
}

absl::StatusOr<ferry::v1::Entity> PdWriter::Get(const EntityRef& entity) {
  auto incident = FetchIncident(entity.id);
  if (!incident.ok()) return incident.status();
  return IncidentToEntity(*incident, "");
}

absl::StatusOr<std::vector<EntityRef>> PdWriter::ByIncidentKey(
    const std::string& project, const std::string& key) const {
  auto incidents = api_->ListAll(
      "/incidents",
      {{"incident_key", key},
       {"date_range", "all"},
       {"service_ids[]", project},
       {"sort_by", "created_at:desc"}},
      "incidents");
  if (!incidents.ok()) return incidents.status();
  std::vector<EntityRef> refs;
  for (const auto& incident : *incidents) refs.push_back(RefOf(incident));
  return refs;
}

absl::StatusOr<std::vector<EntityRef>> PdWriter::Lookup(const std::string& project,
                                                        const std::string& query) {
  std::vector<std::string> parts = absl::StrSplit(query, absl::MaxSplits('=', 1));
  if (parts.size() != 2 || (parts[0] != "incident_key" && parts[0] != "ID")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "PagerDuty target lookup '", query,
        "' is not 'incident_key=<value>' or 'ID=<id or number>'"));
  }
  // Values arrive escaped by PagerDuty's dialect (pd_schema.cc).
  const std::string value = query::UrlQueryDialect().DecodeValue(parts[1]);
  if (parts[0] == "incident_key") return ByIncidentKey(project, value);
  auto incident = FetchIncident(value);
  if (absl::IsNotFound(incident.status())) return std::vector<EntityRef>{};
  if (!incident.ok()) return incident.status();
  if (http::StringOr(http::MemberOrNull(*incident, "service"), "id") != project) {
    return std::vector<EntityRef>{};
  }
  return std::vector<EntityRef>{RefOf(*incident)};
}

absl::StatusOr<std::optional<EntityRef>> PdWriter::FindByOrigin(
    const std::string& project, const std::string& origin) {
  auto refs = ByIncidentKey(project, IncidentKeyForOrigin(origin));
  if (!refs.ok()) return refs.status();
  if (refs->empty()) return std::nullopt;
  return refs->front();
}

absl::StatusOr<std::optional<EntityRef>> PdWriter::FindCreated(
    const engine::CreateRequest& request) {
  const std::string key = IncidentKeyFor(request);
  if (key.empty()) return std::nullopt;
  auto refs = ByIncidentKey(request.project, key);
  if (!refs.ok()) return refs.status();
  if (refs->empty()) return std::nullopt;
  return refs->front();
}

absl::StatusOr<std::string> PdWriter::AddComment(const EntityRef& entity,
                                                 const ferry::v1::CommentWrite& comment,
                                                 const std::string& origin) {
  const std::string text = WithOriginMarker(comment.body(), origin);
  if (comment.kind() == "status_update") {
    const std::string path = absl::StrCat("/incidents/", entity.id, "/status_updates");
    auto posted = api_->Post(path, {{"message", text}});
    if (!posted.ok()) return ExplainWriteError(posted.status(), entity.id, "");
    auto update = MemberWithId(*posted, "status_update", absl::StrCat("PagerDuty POST ", path));
    if (!update.ok()) return update.status();
    return http::StringOr(*update, "id");
  }
  if (!comment.kind().empty() && comment.kind() != "note") {
    return absl::InvalidArgumentError(absl::StrCat(
        "PagerDuty has no comment kind '", comment.kind(), "'; use note or status_update"));
  }
  const std::string path = absl::StrCat("/incidents/", entity.id, "/notes");
  auto posted = api_->Post(path, {{"note", {{"content", text}}}});
  if (!posted.ok()) return ExplainWriteError(posted.status(), entity.id, "");
  auto note = MemberWithId(*posted, "note", absl::StrCat("PagerDuty POST ", path));
  if (!note.ok()) return note.status();
  return http::StringOr(*note, "id");
}

absl::StatusOr<std::optional<std::string>> PdWriter::FindComment(
    const EntityRef& entity, const std::string& origin) {
  const std::string path = absl::StrCat("/incidents/", entity.id, "/notes");
  auto notes = api_->Get(path);
  if (!notes.ok()) return notes.status();
  auto listed = http::JsonReader(*notes, absl::StrCat("PagerDuty GET ", path))
                    .OptionalArray("notes");
  if (!listed.ok()) return listed.status();
  for (const http::JsonReader& note : *listed) {
    if (CarriesOrigin(note.StringOr("content"), origin)) {
      auto id = note.RequireString("id");
      if (!id.ok()) return id.status();
      return std::optional<std::string>(*std::move(id));
    }
  }
  // Status updates are listed only as log entries.
  auto entries = api_->ListAll(absl::StrCat("/incidents/", entity.id, "/log_entries"),
                               {{"is_overview", "true"}}, "log_entries");
  if (!entries.ok()) return entries.status();
  for (const auto& entry : *entries) {
    if (http::StringOr(entry, "type") == "status_update_log_entry" &&
        CarriesOrigin(http::StringOr(entry, "message"), origin)) {
      return std::optional<std::string>(http::StringOr(entry, "id"));
    }
  }
  return std::nullopt;
}

}  // namespace ferry::pagerduty
