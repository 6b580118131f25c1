#include "mapping/mapper.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "mapping/field_value.h"
#include "mapping/target_lookup.h"
#include "mapping/value_map.h"

namespace ferry::mapping {
namespace {

using ferry::v1::Entity;
using ferry::v1::FieldValue;
using ferry::v1::FieldWrite;

size_t SmallerLimit(size_t a, size_t b) {
  if (a == 0) return b;
  if (b == 0) return a;
  return std::min(a, b);
}

std::string FieldText(const Entity& entity, absl::string_view name) {
  const auto it = entity.fields().find(std::string(name));
  return it == entity.fields().end() ? std::string() : ToText(it->second);
}

absl::StatusOr<FieldPlan> PlanField(const ferry::v1::FieldMapping& mapping, int index,
                                    const MapperOptions& options) {
  const bool forward = options.flow == Flow::kForward;
  FieldPlan plan;
  plan.index = index;
  plan.from_field = forward ? mapping.source() : mapping.target();
  plan.to_field = forward ? mapping.target() : mapping.source();
  const std::string where = absl::StrCat("fields[", index, "]");
  const FieldSpec* from_spec = options.from_schema->FindField(plan.from_field);
  if (from_spec == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": \"", plan.from_field, "\" is not a ",
                                                   options.from_schema->kind, " field"));
  }
  plan.to_spec = options.to_schema->FindField(plan.to_field);
  if (plan.to_spec == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": \"", plan.to_field, "\" is not a ",
                                                   options.to_schema->kind, " field"));
  }
  if (plan.to_spec->writability == Writability::kReadOnly) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", options.to_schema->kind, " field \"",
                                                   plan.to_field, "\" is read-only (",
                                                   plan.to_spec->note, ")"));
  }
  const bool maps_values = !IsIdentity(mapping.value_map());
  const FieldType produced = maps_values ? FieldType::kLookup : from_spec->type;
  if (!CanConvert(produced, plan.to_spec->type)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": cannot convert ", FieldTypeName(produced), " field \"", plan.from_field,
        "\" to ", FieldTypeName(plan.to_spec->type), " field \"", plan.to_field, "\""));
  }
  plan.sync_when = plan.to_spec->writability == Writability::kCreateOnly
                       ? ferry::v1::SYNC_WHEN_CREATE
                       : mapping.sync_when();
  plan.value_map = forward ? mapping.value_map() : ReverseOf(mapping.value_map());
  plan.max_length = plan.to_spec->max_length;
  plan.cannot_clear = std::string(options.to_schema->CannotClear(plan.to_field));
  if (forward && HasTransform(mapping.transform())) {
    if (plan.to_spec->type != FieldType::kText && plan.to_spec->type != FieldType::kAny) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": transforms apply to text fields, and \"", plan.to_field,
                       "\" is a ", FieldTypeName(plan.to_spec->type), " field"));
    }
    plan.prefix = mapping.transform().prefix();
    plan.suffix = mapping.transform().suffix();
    if (!mapping.transform().template_().empty()) {
      plan.text_template.emplace(mapping.transform().template_());
    }
    plan.max_length = SmallerLimit(mapping.transform().truncate(), plan.max_length);
  }
  return plan;
}

}  // namespace

bool HasTransform(const ferry::v1::Transform& t) {
  return !t.prefix().empty() || !t.suffix().empty() || !t.template_().empty() || t.truncate() != 0;
}

bool AppliesTo(ferry::v1::Direction direction, Flow flow) {
  switch (direction) {
    case ferry::v1::DIRECTION_BOTH: return true;
    case ferry::v1::DIRECTION_FORWARD: return flow == Flow::kForward;
    case ferry::v1::DIRECTION_REVERSE: return flow == Flow::kReverse;
    default: return false;
  }
}

absl::StatusOr<Mapper> Mapper::Create(const ferry::v1::MappingConfig& config,
                                      const MapperOptions& options) {
  if (options.from_schema == nullptr || options.to_schema == nullptr) {
    return absl::InvalidArgumentError("mapping " + config.name() + ": both schemas are required");
  }
  Mapper mapper;
  mapper.options_ = options;
  for (int i = 0; i < config.fields_size(); ++i) {
    if (!AppliesTo(config.fields(i).direction(), options.flow)) continue;
    absl::StatusOr<FieldPlan> plan = PlanField(config.fields(i), i, options);
    if (!plan.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("mapping ", config.name(), ": ", plan.status().message()));
    }
    mapper.fields_.push_back(*std::move(plan));
  }
  mapper.comments_ = config.comments();
  mapper.comment_template_ = TextTemplate(
      config.comments().template_().empty() ? kDefaultCommentTemplate : config.comments().template_());
  // Each side keeps the kinds named in the mapping that it has, else its
  // plain comment; comments are written as the first such kind.
  for (const std::string& kind : config.comments().kinds()) {
    if (options.from_schema->HasCommentKind(kind)) mapper.source_comment_kinds_.push_back(kind);
    if (mapper.comment_kind_.empty() && options.to_schema->HasCommentKind(kind)) {
      mapper.comment_kind_ = kind;
    }
  }
  if (mapper.source_comment_kinds_.empty()) {
    mapper.source_comment_kinds_.emplace_back(options.from_schema->PlainCommentKind());
  }
  if (mapper.comment_kind_.empty()) {
    mapper.comment_kind_ = std::string(options.to_schema->PlainCommentKind());
  }
  absl::StatusOr<CriteriaMatcher> criteria =
      CriteriaMatcher::Parse(options.criteria, *options.from_schema);
  if (!criteria.ok()) return criteria.status();
  mapper.criteria_ = *std::move(criteria);
  mapper.lookup_ = TextTemplate(options.target_lookup);
  return mapper;
}

absl::StatusOr<std::optional<FieldWrite>> Mapper::MapField(const FieldPlan& plan,
                                                           const Entity& entity) const {
  const auto it = entity.fields().find(plan.from_field);
  if (it == entity.fields().end()) return std::nullopt;
  FieldWrite write;
  if (absl::Status status = MapFieldInto(plan, it->second, entity, &write); !status.ok()) {
    return status;
  }
  return write;
}

absl::Status Mapper::MapFieldInto(const FieldPlan& plan, const FieldValue& source,
                                  const Entity& entity, FieldWrite* write) const {
  write->set_target_field(plan.to_field);
  write->set_source_field(plan.from_field);
  write->set_sync_when(plan.sync_when);
  write->set_cannot_clear(plan.cannot_clear);
  if (IsEmpty(source)) return absl::OkStatus();  // clears the target field

  FieldValue* value = write->mutable_value();
  const FieldType to_type = plan.to_spec->type;
  if (!IsIdentity(plan.value_map)) {
    absl::StatusOr<std::string> name = MapForward(plan.value_map, ToText(source), plan.from_field);
    if (!name.ok()) return name.status();
    *value = LookupName(*name);
  } else {
    *value = source;
  }
  // Same-kind values need no conversion, except users and lookups, whose
  // ids never cross systems.
  const FieldType from_type = TypeOf(*value);
  if (to_type != FieldType::kAny &&
      (from_type != to_type || from_type == FieldType::kUser ||
       (from_type == FieldType::kLookup && !value->lookup().id().empty()))) {
    absl::StatusOr<FieldValue> converted = Convert(*value, to_type);
    if (!converted.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("field ", plan.from_field, ": ", converted.status().message()));
    }
    *value = *std::move(converted);
  }
  if (value->kind_case() != FieldValue::kText) return absl::OkStatus();
  if (plan.text_template.has_value()) {
    value->set_text(plan.text_template->Render(
        [&](absl::string_view name) { return FieldText(entity, name); }));
  }
  if (!plan.prefix.empty() || !plan.suffix.empty()) {
    value->set_text(absl::StrCat(plan.prefix, value->text(), plan.suffix));
  }
  if (plan.max_length != 0 && value->text().size() > plan.max_length) {
    value->set_text(TruncateUtf8(value->text(), plan.max_length));
  }
  return absl::OkStatus();
}

bool Mapper::SyncsCommentKind(const std::string& kind) const {
  if (options_.from_schema->comment_kinds.size() <= 1) return true;  // one kind of comment only
  return std::find(source_comment_kinds_.begin(), source_comment_kinds_.end(), kind) !=
         source_comment_kinds_.end();
}

std::vector<ferry::v1::CommentWrite> Mapper::MapComments(const Entity& entity) const {
  std::vector<ferry::v1::CommentWrite> out;
  if (comments_.disabled() || !AppliesTo(comments_.direction(), options_.flow)) return out;
  for (const ferry::v1::Comment& comment : entity.comments()) {
    if (comment.id().empty() || !SyncsCommentKind(comment.kind())) continue;
    ferry::v1::CommentWrite write;
    write.set_source_comment_id(comment.id());
    write.set_kind(comment_kind_);
    write.set_format(comment.format());
    std::string body = comment_template_.Render([&](absl::string_view name) -> std::string {
      if (name == "Body") return comment.body();
      if (name == "Author") {
        FieldValue author;
        *author.mutable_user() = comment.author();
        return ToText(author);
      }
      if (name == "Time") {
        if (!comment.has_created_at()) return "";
        FieldValue time;
        *time.mutable_time() = comment.created_at();
        return ToText(time);
      }
      return "";
    });
    write.set_body(TruncateUtf8(body, options_.to_schema->comment_max_length));
    out.push_back(std::move(write));
  }
  return out;
}

std::set<std::string> Mapper::FieldsRead() const { return FieldsReadFor(/*creating=*/true); }

std::set<std::string> Mapper::FieldsReadWhenLinked() const {
  return FieldsReadFor(/*creating=*/false);
}

std::set<std::string> Mapper::FieldsReadFor(bool creating) const {
  std::set<std::string> read;
  for (const FieldPlan& plan : fields_) {
    if (!creating && plan.sync_when == ferry::v1::SYNC_WHEN_CREATE) continue;
    read.insert(plan.from_field);
    if (plan.text_template.has_value()) {
      read.insert(plan.text_template->placeholders().begin(),
                  plan.text_template->placeholders().end());
    }
  }
  for (const CriteriaMatcher::Term& term : criteria_.terms()) read.insert(term.field);
  // A target lookup runs only for an entity that is not linked yet.
  if (creating) read.insert(lookup_.placeholders().begin(), lookup_.placeholders().end());
  // Body, Author and Time are the comment's; any other name is the entity's.
  read.insert(comment_template_.placeholders().begin(), comment_template_.placeholders().end());
  return read;
}

bool Mapper::MatchesCriteria(const Entity& entity) const { return criteria_.Matches(entity); }

absl::StatusOr<std::string> Mapper::LookupQuery(const Entity& entity) const {
  if (lookup_.empty()) return std::string();
  return FillLookupQuery(lookup_, entity, options_.to_schema->query_dialect.get());
}

absl::StatusOr<ferry::v1::WriteIntent> Mapper::Map(const ferry::v1::ChangeEvent& change) const {
  ferry::v1::WriteIntent intent;
  if (absl::Status status = MapInto(change, &intent); !status.ok()) return status;
  return intent;
}

absl::Status Mapper::MapInto(const ferry::v1::ChangeEvent& change,
                             ferry::v1::WriteIntent* intent) const {
  const Entity& entity = change.entity();
  auto fail = [&](const absl::Status& status) {
    return absl::Status(status.code(),
                        absl::StrCat("change ", change.change_id(), " of ", entity.system(),
                                     " entity ", entity.id(), ": ", status.message()));
  };
  intent->Clear();
  *intent->mutable_change() = change;
  intent->set_target_system(options_.target_system);
  intent->set_target_project(options_.target_project);
  intent->set_target_type(options_.target_type);
  for (const FieldPlan& plan : fields_) {
    const auto it = entity.fields().find(plan.from_field);
    if (it == entity.fields().end()) continue;
    if (absl::Status status = MapFieldInto(plan, it->second, entity, intent->add_fields());
        !status.ok()) {
      return fail(status);
    }
  }
  for (ferry::v1::CommentWrite& comment : MapComments(entity)) {
    *intent->add_comments() = std::move(comment);
  }
  intent->set_matches_criteria(MatchesCriteria(entity));
  // A lookup that cannot be filled is no mapping failure: the writer
  // follows on_none, as for a lookup that finds nothing.
  absl::StatusOr<std::string> query = LookupQuery(entity);
  if (query.ok()) {
    intent->set_target_lookup_query(*std::move(query));
  } else {
    intent->set_target_lookup_unfilled(std::string(query.status().message()));
  }
  return absl::OkStatus();
}

}  // namespace ferry::mapping
