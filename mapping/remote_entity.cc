#include "mapping/remote_entity.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "mapping/field_value.h"

namespace ferry::mapping {

absl::Status CheckWritebackField(const SystemSchema& schema, absl::string_view field) {
  const FieldSpec* spec = schema.FindField(field);
  if (spec == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", field, "\" is not a ", schema.kind, " field"));
  }
  if (spec->writability != Writability::kWritable ||
      (spec->type != FieldType::kText && spec->type != FieldType::kAny)) {
    return absl::InvalidArgumentError(
        absl::StrCat(schema.kind, " field \"", field,
                     "\" cannot take the target's id or URL after create (it is not a "
                     "writable text field)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ferry::v1::WriteIntent>> BuildRemoteEntityWriteback(
    const ferry::v1::RemoteEntityWriteback& writeback, const SystemSchema& source_schema,
    const ferry::v1::Entity& source, const ferry::v1::Entity& created) {
  if (writeback.id_field().empty() && writeback.url_field().empty() && !writeback.as_comment()) {
    return std::nullopt;
  }
  ferry::v1::WriteIntent intent;
  ferry::v1::ChangeEvent* change = intent.mutable_change();
  change->set_change_id(absl::StrCat("ferry-remote-entity/", created.system(), "/", created.id()));
  *change->mutable_entity() = source;
  intent.set_target_system(source.system());
  intent.set_target_project(source.project());
  intent.set_target_type(source.type());
  intent.set_matches_criteria(true);
  struct Target {
    absl::string_view setting;
    const std::string& field;
    const std::string& value;
  };
  for (const Target& target : {Target{"id_field", writeback.id_field(), created.id()},
                               Target{"url_field", writeback.url_field(), created.url()}}) {
    if (target.field.empty()) continue;
    if (absl::Status status = CheckWritebackField(source_schema, target.field); !status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("remote_entity.", target.setting, ": ", status.message()));
    }
    ferry::v1::FieldWrite* write = intent.add_fields();
    write->set_target_field(target.field);
    *write->mutable_value() = TextValue(target.value);
    write->set_sync_when(ferry::v1::SYNC_WHEN_UPDATE);
  }
  if (writeback.as_comment()) {
    ferry::v1::CommentWrite* comment = intent.add_comments();
    comment->set_source_comment_id(change->change_id());
    const std::string& key = created.display_key().empty() ? created.id() : created.display_key();
    comment->set_body(absl::StrCat("Synced to ", key, ": ", created.url()));
    comment->set_format(ferry::v1::TEXT_FORMAT_PLAIN);
    comment->set_kind(std::string(source_schema.PlainCommentKind()));
  }
  return intent;
}

}  // namespace ferry::mapping
