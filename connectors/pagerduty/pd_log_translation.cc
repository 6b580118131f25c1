#include "connectors/pagerduty/pd_log_translation.h"

#include "absl/strings/str_cat.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_entity.h"
#include "google/protobuf/util/time_util.h"
#include "http/json_fields.h"

namespace ferry::pagerduty {
namespace {

std::string ReferenceId(const nlohmann::json& object, const char* key) {
  return http::StringOr(http::MemberOrNull(object, key), "id");
}

// The field a log entry type changes, or nullptr.
const char* ChangedField(const std::string& type) {
  if (type == "acknowledge_log_entry" || type == "resolve_log_entry" ||
      type == "unacknowledge_log_entry" || type == "trigger_log_entry" ||
      type == "escalate_log_entry" || type == "delegate_log_entry") {
    return "Status";
  }
  if (type == "priority_change_log_entry") return "Priority";
  if (type == "urgency_change_log_entry") return "Urgency";
  if (type == "assign_log_entry") return "Assignee";
  return nullptr;
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(time));
}

}  // namespace

std::optional<std::string> MergeText(const nlohmann::json& incident) {
  const nlohmann::json& reason = http::MemberOrNull(incident, "resolve_reason");
  if (http::StringOr(reason, "type") != "merge_resolve_reason") return std::nullopt;
  const nlohmann::json& target = http::MemberOrNull(reason, "incident");
  std::string name = http::StringOr(target, "summary");
  if (name.empty()) name = http::StringOr(target, "id");
  if (name.empty()) return std::nullopt;
  std::string text = absl::StrCat("Merged into PagerDuty incident ", name);
  if (const std::string url = http::StringOr(target, "html_url"); !url.empty()) {
    absl::StrAppend(&text, " (", url, ")");
  }
  absl::StrAppend(&text, ", which carries on with its alerts.");
  return text;
}

std::optional<std::string> AlertAddedText(const nlohmann::json& entry) {
  const nlohmann::json& channel = http::MemberOrNull(entry, "channel");
  if (LogEntryType(entry) != "trigger_log_entry" || http::StringOr(channel, "type") != "api") {
    return std::nullopt;
  }
  const std::string summary = http::StringOr(channel, "summary");
  if (summary.empty()) return std::nullopt;
  const std::string by = http::StringOr(http::MemberOrNull(entry, "agent"), "summary");
  return absl::StrCat("New alert", by.empty() ? "" : absl::StrCat(" from ", by), ": ", summary);
}

absl::Status CheckLogEntry(const http::JsonReader& entry) {
  for (const char* field : {"id", "type", "created_at"}) {
    if (auto text = entry.RequireString(field); !text.ok()) return text.status();
  }
  for (const char* field : {"incident", "service", "agent"}) {
    auto reference = entry.OptionalObject(field);
    if (!reference.ok()) return reference.status();
    if (!reference->has_value()) continue;
    if (auto id = (*reference)->RequireString("id"); !id.ok()) return id.status();
  }
  return absl::OkStatus();
}

std::string LogEntryId(const nlohmann::json& entry) { return http::StringOr(entry, "id"); }

std::string LogEntryType(const nlohmann::json& entry) { return http::StringOr(entry, "type"); }

std::string LogEntryServiceId(const nlohmann::json& entry) {
  return ReferenceId(entry, "service");
}

std::string LogEntryIncidentId(const nlohmann::json& entry) {
  return ReferenceId(entry, "incident");
}

absl::StatusOr<absl::Time> LogEntryTime(const nlohmann::json& entry) {
  return ParsePdTime(http::StringOr(entry, "created_at"));
}

std::string FirstTriggerId(const nlohmann::json& incident) {
  return ReferenceId(incident, "first_trigger_log_entry");
}

bool LoggedByMe(const nlohmann::json& entry, const std::string& me_id) {
  const nlohmann::json& agent = http::MemberOrNull(entry, "agent");
  // Only a person can be Ferry: a service or an integration (a monitoring
  // tool's events) acting is always a change to sync.
  const std::string agent_type = http::StringOr(agent, "type");
  return !me_id.empty() && agent.is_object() && http::StringOr(agent, "id") == me_id &&
         (agent_type.empty() || agent_type == "user_reference");
}

std::optional<std::string> ChangedIncidentId(const nlohmann::json& entry,
                                             const std::string& me_id,
                                             const std::string& service_id) {
  const std::string type = LogEntryType(entry);
  if (type == "notify_log_entry" || LoggedByMe(entry, me_id)) return std::nullopt;
  const nlohmann::json& agent = http::MemberOrNull(entry, "agent");
  if (type == "assign_log_entry" && http::StringOr(agent, "type") != "user_reference") {
    return std::nullopt;
  }
  if (!http::MemberOrNull(entry, "service").is_object() ||
      LogEntryServiceId(entry) != service_id) {
    return std::nullopt;
  }
  if (!http::MemberOrNull(entry, "incident").is_object()) return std::nullopt;
  return LogEntryIncidentId(entry);
}

absl::StatusOr<ferry::v1::ChangeEvent> LogEntryToChange(
    const nlohmann::json& entry, const nlohmann::json& incident,
    const std::vector<ferry::v1::Comment>& notes, const ChangeContext& context) {
  ferry::v1::ChangeEvent event;
  auto entity = IncidentToEntity(incident, context.system);
  if (!entity.ok()) return entity.status();
  *event.mutable_entity() = *std::move(entity);
  ferry::v1::Entity& out = *event.mutable_entity();
  out.set_project(context.project);
  for (const auto& note : notes) {
    if (note.author().id() != context.me_id) *out.add_comments() = note;
  }
  auto time = LogEntryTime(entry);
  if (!time.ok()) return time.status();
  const std::string type = LogEntryType(entry);
  const ferry::v1::UserRef by = AgentToUser(http::MemberOrNull(entry, "agent"));
  if (type == "status_update_log_entry" && context.status_updates_as_comments) {
    ferry::v1::Comment* update = out.add_comments();
    update->set_id(LogEntryId(entry));
    update->set_kind("status_update");
    *update->mutable_author() = by;
    *update->mutable_created_at() = ToTimestamp(*time);
    update->set_body(http::StringOr(entry, "message"));
  }
  const std::string first_trigger = FirstTriggerId(incident);
  const bool created = type == "trigger_log_entry" && !first_trigger.empty() &&
                       first_trigger == LogEntryId(entry);
  std::optional<std::string> said;
  if (type == "resolve_log_entry") said = MergeText(incident);
  if (type == "trigger_log_entry" && !created) said = AlertAddedText(entry);
  if (said) {
    ferry::v1::Comment* comment = out.add_comments();
    comment->set_id(LogEntryId(entry));
    comment->set_kind("note");
    *comment->mutable_author() = by;
    *comment->mutable_created_at() = ToTimestamp(*time);
    comment->set_body(*std::move(said));
    comment->set_format(ferry::v1::TEXT_FORMAT_PLAIN);
  }
  out.set_comments_complete(false);
  *out.mutable_last_changed_by() = by;
  if (const char* field = ChangedField(type)) {
    ferry::v1::FieldChange* change = event.add_changes();
    change->set_field(field);
    auto current = out.fields().find(field);
    if (current != out.fields().end()) *change->mutable_new_value() = current->second;
    *change->mutable_changed_by() = by;
    *change->mutable_changed_at() = ToTimestamp(*time);
  }
  event.set_created(created);
  event.set_change_id(absl::StrCat(out.id(), "@", LogEntryId(entry)));
  event.set_integration(context.integration);
  return event;
}

}  // namespace ferry::pagerduty
