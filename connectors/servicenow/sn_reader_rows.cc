#include "connectors/servicenow/sn_reader_rows.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "connectors/servicenow/sn_schema.h"
#include "engine/common/proto_time.h"
#include "http/json_fields.h"

namespace ferry::servicenow {
namespace {

absl::StatusOr<std::string> Column(const http::JsonReader& row, absl::string_view column) {
  return row.RequireString(column);
}

absl::StatusOr<absl::Time> TimeColumn(const http::JsonReader& row, absl::string_view column) {
  auto text = row.RequireString(column);
  if (!text.ok()) return text.status();
  auto time = ParseServiceNowDateTime(*text);
  if (!time.ok()) {
    return absl::UnavailableError(absl::StrCat(row.Describe(), ": column '", column, "' is '",
                                               *text, "', not a datetime (yyyy-MM-dd HH:mm:ss)"));
  }
  return *time;
}

const mapping::FieldSpec* SpecOf(absl::string_view field) {
  for (const mapping::FieldSpec& spec : ServiceNowSchema().fields) {
    if (spec.name == field) return &spec;
  }
  return nullptr;
}

// A stored value of `field` as mappings see it; unset when empty.
ferry::v1::FieldValue ValueOf(absl::string_view field, const std::string& stored) {
  ferry::v1::FieldValue value;
  if (stored.empty()) return value;
  const mapping::FieldSpec* spec = SpecOf(field);
  const mapping::FieldType type = spec != nullptr ? spec->type : mapping::FieldType::kText;
  switch (type) {
    case mapping::FieldType::kLookup:
      value.mutable_lookup()->set_id(stored);
      value.mutable_lookup()->set_name(LabelOf(field, stored));
      break;
    case mapping::FieldType::kUser:
      value.mutable_user()->set_id(stored);
      break;
    case mapping::FieldType::kTime:
      if (auto time = ParseServiceNowDateTime(stored); time.ok()) {
        *value.mutable_time() = ToProto(*time);
      } else {
        value.set_text(stored);
      }
      break;
    default:
      value.set_text(stored);
  }
  return value;
}

}  // namespace

absl::StatusOr<absl::Time> ParseServiceNowDateTime(const std::string& text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d %H:%M:%S", text, absl::UTCTimeZone(), &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a ServiceNow datetime: ", error));
  }
  return time;
}

absl::StatusOr<AuditEntry> ParseAuditRow(const nlohmann::json& json, const std::string& where) {
  const http::JsonReader row(json, where);
  AuditEntry entry;
  for (auto [column, out] : {std::pair{"documentkey", &entry.record},
                             std::pair{"fieldname", &entry.field}, std::pair{"user", &entry.user}}) {
    auto value = Column(row, column);
    if (!value.ok()) return value.status();
    *out = *std::move(value);
  }
  for (auto [column, out] : {std::pair{"oldvalue", &entry.old_value},
                             std::pair{"newvalue", &entry.new_value}}) {
    auto value = row.OptionalString(column);
    if (!value.ok()) return value.status();
    *out = value->value_or("");
  }
  auto created = TimeColumn(row, "sys_created_on");
  if (!created.ok()) return created.status();
  entry.created = *created;
  auto checkpoint = row.OptionalString("record_checkpoint");
  if (!checkpoint.ok()) return checkpoint.status();
  if (int64_t number = 0; checkpoint->has_value() && absl::SimpleAtoi(**checkpoint, &number)) {
    entry.checkpoint = number;
  }
  return entry;
}

absl::StatusOr<JournalEntry> ParseJournalRow(const nlohmann::json& json,
                                             const std::string& where) {
  const http::JsonReader row(json, where);
  JournalEntry entry;
  for (auto [column, out] :
       {std::pair{"sys_id", &entry.sys_id}, std::pair{"element_id", &entry.record},
        std::pair{"element", &entry.element}, std::pair{"sys_created_by", &entry.author}}) {
    auto value = Column(row, column);
    if (!value.ok()) return value.status();
    *out = *std::move(value);
  }
  auto value = row.OptionalString("value");
  if (!value.ok()) return value.status();
  entry.value = value->value_or("");
  auto created = TimeColumn(row, "sys_created_on");
  if (!created.ok()) return created.status();
  entry.created = *created;
  return entry;
}

bool IsJournalAudit(const AuditEntry& entry) {
  return entry.field == kCommentsKind || entry.field == kWorkNotesKind ||
         entry.field == "comments_and_work_notes";
}

ferry::v1::UserRef ServiceNowUser(const std::string& user_name) {
  ferry::v1::UserRef user;
  user.set_id(user_name);
  user.set_name(user_name);
  return user;
}

ferry::v1::FieldChange FieldChangeOf(const AuditEntry& entry) {
  ferry::v1::FieldChange change;
  change.set_field(entry.field);
  if (ferry::v1::FieldValue old_value = ValueOf(entry.field, entry.old_value);
      old_value.kind_case() != ferry::v1::FieldValue::KIND_NOT_SET) {
    *change.mutable_old_value() = std::move(old_value);
  }
  if (ferry::v1::FieldValue new_value = ValueOf(entry.field, entry.new_value);
      new_value.kind_case() != ferry::v1::FieldValue::KIND_NOT_SET) {
    *change.mutable_new_value() = std::move(new_value);
  }
  *change.mutable_changed_by() = ServiceNowUser(entry.user);
  *change.mutable_changed_at() = ToProto(entry.created);
  return change;
}

absl::StatusOr<ferry::v1::Entity> EntityOfIncident(const nlohmann::json& json,
                                                   const std::string& system,
                                                   const std::string& project,
                                                   const std::string& url,
                                                   const std::string& where) {
  const http::JsonReader row(json, where);
  ferry::v1::Entity entity;
  entity.set_system(system);
  entity.set_project(project);
  entity.set_type(std::string(kIncidentTable));
  entity.set_url(url);
  auto sys_id = Column(row, "sys_id");
  if (!sys_id.ok()) return sys_id.status();
  entity.set_id(*sys_id);
  auto number = Column(row, "number");
  if (!number.ok()) return number.status();
  entity.set_display_key(*number);
  auto mod = Column(row, "sys_mod_count");
  if (!mod.ok()) return mod.status();
  int64_t revision = 0;
  if (!absl::SimpleAtoi(*mod, &revision)) {
    return absl::UnavailableError(absl::StrCat(row.Describe(), ": column 'sys_mod_count' is '",
                                               *mod, "', not a number"));
  }
  entity.set_revision(revision);
  auto created = TimeColumn(row, "sys_created_on");
  if (!created.ok()) return created.status();
  *entity.mutable_created_at() = ToProto(*created);
  auto updated = TimeColumn(row, "sys_updated_on");
  if (!updated.ok()) return updated.status();
  *entity.mutable_updated_at() = ToProto(*updated);
  for (const mapping::FieldSpec& spec : ServiceNowSchema().fields) {
    const std::string stored = http::StringOr(json, spec.name);
    ferry::v1::FieldValue value = ValueOf(spec.name, stored);
    if (value.kind_case() != ferry::v1::FieldValue::KIND_NOT_SET) {
      (*entity.mutable_fields())[spec.name] = std::move(value);
    }
  }
  return entity;
}

std::optional<std::string> MarkerCommentId(const std::string& text) {
  constexpr absl::string_view kOpen = "\n\n(ferry ";
  constexpr size_t kDigits = 12;
  const size_t length = kOpen.size() + kDigits + 1;
  if (text.size() < length || text.back() != ')') return std::nullopt;
  const absl::string_view marker = absl::string_view(text).substr(text.size() - length);
  if (!absl::StartsWith(marker, kOpen)) return std::nullopt;
  const absl::string_view digits = marker.substr(kOpen.size(), kDigits);
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) {
      return std::nullopt;
    }
  }
  return absl::StrCat("ferry-", digits);
}

std::string JournalCommentId(const JournalEntry& entry) {
  return MarkerCommentId(entry.value).value_or(entry.sys_id);
}

ferry::v1::Comment CommentOf(const JournalEntry& entry) {
  ferry::v1::Comment comment;
  comment.set_id(JournalCommentId(entry));
  comment.set_kind(entry.element);
  *comment.mutable_author() = ServiceNowUser(entry.author);
  *comment.mutable_created_at() = ToProto(entry.created);
  *comment.mutable_updated_at() = ToProto(entry.created);
  comment.set_body(entry.value);
  comment.set_format(ferry::v1::TEXT_FORMAT_PLAIN);
  return comment;
}

}  // namespace ferry::servicenow
