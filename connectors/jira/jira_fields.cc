#include "connectors/jira/jira_fields.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "connectors/jira/jira_markdown.h"
#include "connectors/jira/jira_wiki.h"
#include "http/json_fields.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;
using ferry::v1::FieldValue;

bool IsLookupField(const std::string& id) {
  return id == "status" || id == "priority" || id == "resolution" ||
         id == "issuetype";
}

// A field's value from its JSON; false when it is empty.
bool ValueFromJson(const std::string& id, const json& value, bool cloud,
                   FieldValue* out) {
  if (value.is_null()) return false;
  if (id == "project") {
    out->mutable_lookup()->set_id(http::StringOr(value, "id"));
    out->mutable_lookup()->set_name(http::StringOr(value, "key"));
  } else if (IsLookupField(id)) {
    out->mutable_lookup()->set_id(http::StringOr(value, "id"));
    out->mutable_lookup()->set_name(http::StringOr(value, "name"));
  } else if (id == "labels") {
    std::vector<std::string> labels;
    for (const json& label : value) {
      if (label.is_string()) labels.push_back(label.get<std::string>());
    }
    if (labels.empty()) return false;
    out->set_text(absl::StrJoin(labels, " "));
  } else if (id == "created" || id == "updated" || id == "duedate") {
    absl::Time t;
    std::string error;
    const std::string text = value.is_string() ? value.get<std::string>() : "";
    auto parsed = ParseJiraTime(text);
    if (parsed.ok()) {
      *out->mutable_time() = TimestampOf(*parsed);
    } else if (absl::ParseTime("%Y-%m-%d", text, &t, &error)) {
      *out->mutable_time() = TimestampOf(t);
    } else {
      return false;
    }
  } else if (value.is_object() &&
             (value.contains("accountId") || value.contains("emailAddress"))) {
    *out->mutable_user() = UserFromJson(value, cloud);
  } else if (value.is_object() && http::StringOr(value, "type") == "doc") {
    out->set_text(AdfToWiki(value));
  } else if (value.is_object() && value.contains("value")) {
    out->mutable_lookup()->set_id(http::StringOr(value, "id"));
    out->mutable_lookup()->set_name(http::StringOr(value, "value"));
  } else if (value.is_object() && value.contains("name")) {
    out->mutable_lookup()->set_id(http::StringOr(value, "id"));
    out->mutable_lookup()->set_name(http::StringOr(value, "name"));
  } else if (value.is_number()) {
    out->set_number(value.get<double>());
  } else if (value.is_string()) {
    out->set_text(value.get<std::string>());
  } else {
    out->set_text(value.dump());
  }
  return true;
}

// A changelog side (from/fromString or to/toString) as a value.
bool ItemValue(const std::string& field, const json& raw, const json& shown,
               FieldValue* out) {
  const std::string id = raw.is_string() ? raw.get<std::string>() : "";
  const std::string name = shown.is_string() ? shown.get<std::string>() : "";
  if (id.empty() && name.empty()) return false;
  if (IsLookupField(field)) {
    out->mutable_lookup()->set_id(id);
    out->mutable_lookup()->set_name(name);
  } else if (field == "assignee" || field == "reporter") {
    out->mutable_user()->set_id(id);
    out->mutable_user()->set_name(name);
  } else {
    out->set_text(name.empty() ? id : name);
  }
  return true;
}

absl::Status KindError(const ferry::v1::FieldWrite& write, const char* wanted) {
  return absl::InvalidArgumentError(absl::StrCat(
      "jira field '", write.target_field(), "' takes ", wanted,
      "; the mapping gave another kind of value (from '", write.source_field(),
      "'); map a value of the right type"));
}

}  // namespace

google::protobuf::Timestamp TimestampOf(absl::Time t) {
  google::protobuf::Timestamp out;
  const int64_t micros = absl::ToUnixMicros(t);
  out.set_seconds(micros / 1000000);
  out.set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
  return out;
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

absl::StatusOr<absl::Time> ParseJiraTime(const std::string& text) {
  absl::Time t;
  std::string error;
  if (absl::ParseTime("%Y-%m-%dT%H:%M:%E*S%z", text, &t, &error)) return t;
  return absl::InvalidArgumentError(absl::StrCat(
      "jira timestamp '", text, "' is not yyyy-MM-ddTHH:mm:ss.SSSZ: ", error));
}

ferry::v1::UserRef UserFromJson(const json& user, bool cloud) {
  ferry::v1::UserRef out;
  if (!user.is_object()) return out;
  out.set_id(http::StringOr(user, cloud ? "accountId" : "key"));
  out.set_name(http::StringOr(user, "displayName"));
  out.set_email(http::StringOr(user, "emailAddress"));
  return out;
}

ferry::v1::Comment CommentFromJson(const json& comment, bool cloud) {
  ferry::v1::Comment out;
  out.set_id(http::StringOr(comment, "id"));
  out.set_kind("comment");
  *out.mutable_author() = UserFromJson(http::MemberOrNull(comment, "author"), cloud);
  if (auto t = ParseJiraTime(http::StringOr(comment, "created")); t.ok()) {
    *out.mutable_created_at() = TimestampOf(*t);
  }
  if (auto t = ParseJiraTime(http::StringOr(comment, "updated")); t.ok()) {
    *out.mutable_updated_at() = TimestampOf(*t);
  }
  const json& body = http::MemberOrNull(comment, "body");
  out.set_body(CommentMarkdown(body));
  out.set_format(ferry::v1::TEXT_FORMAT_MARKDOWN);
  return out;
}

absl::StatusOr<ferry::v1::Entity> EntityFromIssue(const json& issue,
                                                  const std::string& system,
                                                  bool cloud) {
  ferry::v1::Entity entity;
  entity.set_system(system);
  entity.set_id(http::StringOr(issue, "id"));
  entity.set_display_key(http::StringOr(issue, "key"));
  const json& fields = http::MemberOrNull(issue, "fields");
  if (!fields.is_object() && !fields.is_null()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "jira issue ", entity.id(), " has no fields object"));
  }
  for (const auto& [id, value] : fields.items()) {
    if (id == "comment") continue;
    FieldValue field;
    if (ValueFromJson(id, value, cloud, &field)) {
      (*entity.mutable_fields())[id] = std::move(field);
    }
  }
  const auto& map = entity.fields();
  if (auto it = map.find("project"); it != map.end()) {
    entity.set_project(it->second.lookup().name());
  }
  if (auto it = map.find("issuetype"); it != map.end()) {
    entity.set_type(it->second.lookup().name());
  }
  if (auto it = map.find("created"); it != map.end()) {
    *entity.mutable_created_at() = it->second.time();
  }
  if (auto it = map.find("updated"); it != map.end()) {
    *entity.mutable_updated_at() = it->second.time();
  }
  (*entity.mutable_fields())["id"].set_text(entity.id());
  (*entity.mutable_fields())["key"].set_text(entity.display_key());
  if (fields.contains("comment")) {
    for (const json& comment :
         http::MemberOrNull(fields["comment"], "comments")) {
      *entity.add_comments() = CommentFromJson(comment, cloud);
    }
    entity.set_comments_complete(true);
  }
  const std::string self = http::StringOr(issue, "self");
  const size_t rest = self.find("/rest/");
  if (rest != std::string::npos && !entity.display_key().empty()) {
    entity.set_url(
        absl::StrCat(self.substr(0, rest), "/browse/", entity.display_key()));
  }
  return entity;
}

ferry::v1::FieldChange FieldChangeFromItem(const json& item,
                                           const ferry::v1::UserRef& author,
                                           absl::Time when) {
  ferry::v1::FieldChange change;
  std::string field = http::StringOr(item, "fieldId");
  if (field.empty()) field = absl::AsciiStrToLower(http::StringOr(item, "field"));
  change.set_field(field);
  FieldValue value;
  if (ItemValue(field, http::MemberOrNull(item, "from"),
                http::MemberOrNull(item, "fromString"), &value)) {
    *change.mutable_old_value() = value;
  }
  value.Clear();
  if (ItemValue(field, http::MemberOrNull(item, "to"), http::MemberOrNull(item, "toString"),
                &value)) {
    *change.mutable_new_value() = value;
  }
  *change.mutable_changed_by() = author;
  *change.mutable_changed_at() = TimestampOf(when);
  return change;
}

std::vector<json> HistoriesOldestFirst(std::vector<json> histories) {
  // (created, id) of each history, computed once.
  std::vector<std::tuple<absl::Time, int64_t, size_t>> order;
  for (size_t i = 0; i < histories.size(); ++i) {
    auto created = ParseJiraTime(http::StringOr(histories[i], "created"));
    int64_t id = 0;
    if (!absl::SimpleAtoi(http::StringOr(histories[i], "id"), &id)) id = 0;
    order.emplace_back(created.ok() ? *created : absl::InfinitePast(), id, i);
  }
  std::sort(order.begin(), order.end());
  std::vector<json> out;
  out.reserve(histories.size());
  for (const auto& entry : order) out.push_back(std::move(histories[std::get<2>(entry)]));
  return out;
}

absl::StatusOr<json> FieldJson(const ferry::v1::FieldWrite& write, bool cloud) {
  const std::string& id = write.target_field();
  const FieldValue& value = write.value();
  const bool empty = value.kind_case() == FieldValue::KIND_NOT_SET;
  if (id == "labels") {
    if (empty) return json::array();
    if (!value.has_text()) return KindError(write, "text (labels separated by spaces)");
    json labels = json::array();
    for (absl::string_view label :
         absl::StrSplit(value.text(), ' ', absl::SkipEmpty())) {
      labels.push_back(std::string(label));
    }
    return labels;
  }
  if (empty) return json();
  if (id == "description" || id == "environment") {
    if (!value.has_text()) return KindError(write, "text");
    // Text from another system (a PagerDuty description) is plain: on
    // Cloud it stays literal; Data Center stores the string as it is.
    return cloud ? TextToAdf(value.text()) : json(value.text());
  }
  if (id == "priority" || id == "resolution" || id == "issuetype") {
    if (!value.has_lookup()) return KindError(write, "a look-up value");
    if (!value.lookup().name().empty()) return json{{"name", value.lookup().name()}};
    return json{{"id", value.lookup().id()}};
  }
  if (id == "duedate") {
    if (!value.has_time()) return KindError(write, "a time");
    return json(absl::FormatTime("%Y-%m-%d", TimeOf(value.time()),
                                 absl::UTCTimeZone()));
  }
  switch (value.kind_case()) {
    case FieldValue::kText:
      return json(value.text());
    case FieldValue::kNumber:
      return json(value.number());
    case FieldValue::kLookup:
      return json{{"value", value.lookup().name()}};
    case FieldValue::kUser:
      return cloud ? json{{"accountId", value.user().id()}}
                   : json{{"key", value.user().id()}};
    case FieldValue::kTime:
      return json(absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%z",
                                   TimeOf(value.time()), absl::UTCTimeZone()));
    case FieldValue::KIND_NOT_SET:
      break;
  }
  return json();
}

absl::StatusOr<std::vector<nlohmann::json>> HistoriesOldestFirst(const http::JsonReader& body) {
  auto changelog = body.OptionalObject("changelog");
  if (!changelog.ok()) return changelog.status();
  if (!changelog->has_value()) return std::vector<nlohmann::json>{};
  auto histories = (*changelog)->OptionalArray("histories");
  if (!histories.ok()) return histories.status();
  std::vector<nlohmann::json> listed;
  for (const http::JsonReader& history : *histories) listed.push_back(history.json());
  return HistoriesOldestFirst(std::move(listed));
}

}  // namespace ferry::jira
