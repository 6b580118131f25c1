#include "connectors/pagerduty/pd_entity.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "connectors/pagerduty/pd_api.h"
#include "google/protobuf/util/time_util.h"

namespace ferry::pagerduty {
namespace {

using ::ferry::http::MemberOrNull;

ferry::v1::FieldValue TextValue(const std::string& text) {
  ferry::v1::FieldValue value;
  value.set_text(text);
  return value;
}

ferry::v1::FieldValue LookupValue(const std::string& id, const std::string& name) {
  ferry::v1::FieldValue value;
  value.mutable_lookup()->set_id(id);
  value.mutable_lookup()->set_name(name);
  return value;
}

// A reference's display name: full objects have "name", references "summary".
std::string NameOf(const nlohmann::json& reference) {
  std::string name = http::StringOr(reference, "name");
  return name.empty() ? http::StringOr(reference, "summary") : name;
}

absl::Status SetTime(const nlohmann::json& object, const char* key,
                     google::protobuf::Timestamp* out) {
  const std::string text = http::StringOr(object, key);
  if (text.empty()) return absl::OkStatus();
  absl::StatusOr<absl::Time> time = ParsePdTime(text);
  if (!time.ok()) return time.status();
  *out = google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(*time));
  return absl::OkStatus();
}

// A scalar as a person would write it: strings bare, null as "-".
std::string ScalarText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "-";
  return value.dump();
}

bool IsNested(const nlohmann::json& value) {
  return (value.is_object() || value.is_array()) && !value.empty();
}

void AppendDetails(const nlohmann::json& value, int depth, std::string* out) {
  const std::string indent(2 * depth, ' ');
  auto line = [&](const std::string& head, const nlohmann::json& item) {
    if (!IsNested(item)) {
      const std::string text = item.is_object() || item.is_array() ? "-" : ScalarText(item);
      absl::StrAppend(out, indent, head, text, "\n");
      return;
    }
    absl::StrAppend(out, indent, absl::StripTrailingAsciiWhitespace(head), "\n");
    AppendDetails(item, depth + 1, out);
  };
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) line(absl::StrCat(key, ": "), item);
  } else {
    for (const nlohmann::json& item : value) line("- ", item);
  }
}

}  // namespace

std::string DetailsAsText(const nlohmann::json& details) {
  if (!IsNested(details)) return details.is_object() || details.is_array() ? "" : ScalarText(details);
  std::string text;
  AppendDetails(details, 0, &text);
  if (!text.empty()) text.pop_back();  // the last newline
  return text;
}

ferry::v1::UserRef AgentToUser(const nlohmann::json& reference) {
  ferry::v1::UserRef user;
  if (!reference.is_object()) return user;
  user.set_id(http::StringOr(reference, "id"));
  user.set_name(NameOf(reference));
  user.set_email(http::StringOr(reference, "email"));
  return user;
}

absl::StatusOr<ferry::v1::Entity> IncidentToEntity(const nlohmann::json& incident,
                                                   const std::string& system) {
  const std::string id = http::StringOr(incident, "id");
  if (id.empty()) {
    return absl::InvalidArgumentError("PagerDuty incident without an id");
  }
  ferry::v1::Entity entity;
  entity.set_system(system);
  entity.set_type("incident");
  entity.set_id(id);
  entity.set_url(http::StringOr(incident, "html_url"));
  auto& fields = *entity.mutable_fields();
  fields["Id"] = TextValue(id);
  if (const nlohmann::json& number_json = MemberOrNull(incident, "incident_number");
      number_json.is_number_integer()) {
    const int64_t number = number_json.get<int64_t>();
    entity.set_display_key(std::to_string(number));
    fields["Number"].set_number(static_cast<double>(number));
  }
  if (const std::string key = http::StringOr(incident, "incident_key"); !key.empty()) {
    fields["Incident Key"] = TextValue(key);
  }
  fields["Title"] = TextValue(http::StringOr(incident, "title"));
  const nlohmann::json& details = MemberOrNull(MemberOrNull(incident, "body"), "details");
  if (!details.is_null()) fields["Description"] = TextValue(DetailsAsText(details));
  const std::pair<const char*, const char*> enums[] = {{"status", "Status"},
                                                       {"urgency", "Urgency"}};
  for (const auto& [key, field] : enums) {
    if (const std::string value = http::StringOr(incident, key); !value.empty()) {
      fields[field] = LookupValue(value, value);
    }
  }
  const std::pair<const char*, const char*> references[] = {
      {"priority", "Priority"}, {"service", "Service"},
      {"escalation_policy", "Escalation Policy"}};
  for (const auto& [key, field] : references) {
    if (const nlohmann::json& reference = MemberOrNull(incident, key); reference.is_object()) {
      fields[field] = LookupValue(http::StringOr(reference, "id"), NameOf(reference));
    }
  }
  if (const nlohmann::json& service = MemberOrNull(incident, "service"); service.is_object()) {
    entity.set_project(http::StringOr(service, "id"));
  }
  const nlohmann::json& assignments = MemberOrNull(incident, "assignments");
  if (assignments.is_array() && !assignments.empty()) {
    *fields["Assignee"].mutable_user() =
        AgentToUser(MemberOrNull(assignments[0], "assignee"));
  }
  if (const nlohmann::json& bridge = MemberOrNull(incident, "conference_bridge");
      bridge.is_object()) {
    if (const std::string number = http::StringOr(bridge, "conference_number"); !number.empty()) {
      fields["Conference Number"] = TextValue(number);
    }
    if (const std::string url = http::StringOr(bridge, "conference_url"); !url.empty()) {
      fields["Conference URL"] = TextValue(url);
    }
  }
  if (const std::string url = http::StringOr(incident, "html_url"); !url.empty()) {
    fields["URL"] = TextValue(url);
  }
  if (auto ok = SetTime(incident, "created_at", entity.mutable_created_at()); !ok.ok()) return ok;
  if (auto ok = SetTime(incident, "updated_at", entity.mutable_updated_at()); !ok.ok()) return ok;
  if (entity.has_created_at()) *fields["Created"].mutable_time() = entity.created_at();
  if (entity.has_updated_at()) *fields["Updated"].mutable_time() = entity.updated_at();
  if (const nlohmann::json& by = MemberOrNull(incident, "last_status_change_by");
      !by.is_null()) {
    *entity.mutable_last_changed_by() = AgentToUser(by);
  }
  return entity;
}

absl::StatusOr<ferry::v1::Comment> NoteToComment(const http::JsonReader& note_reader) {
  absl::StatusOr<std::string> id = note_reader.RequireString("id");
  if (!id.ok()) return id.status();
  const nlohmann::json& note = note_reader.json();
  ferry::v1::Comment comment;
  comment.set_id(*std::move(id));
  comment.set_kind("note");
  *comment.mutable_author() = AgentToUser(MemberOrNull(note, "user"));
  comment.set_body(http::StringOr(note, "content"));
  comment.set_format(ferry::v1::TEXT_FORMAT_PLAIN);
  if (auto ok = SetTime(note, "created_at", comment.mutable_created_at()); !ok.ok()) return ok;
  if (auto ok = SetTime(note, "updated_at", comment.mutable_updated_at()); !ok.ok()) return ok;
  return comment;
}

absl::StatusOr<nlohmann::json> MemberWithId(const nlohmann::json& body, const char* member,
                                            const std::string& where) {
  absl::StatusOr<http::JsonReader> object = http::JsonReader(body, where).RequireObject(member);
  if (!object.ok()) return object.status();
  if (absl::StatusOr<std::string> id = object->RequireString("id"); !id.ok()) return id.status();
  return object->json();
}

std::string IncidentKeyForOrigin(const std::string& origin) {
  return absl::StrCat("ferry-", origin);
}

}  // namespace ferry::pagerduty
