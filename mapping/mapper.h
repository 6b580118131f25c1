#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mapping/criteria.h"
#include "mapping/system_schema.h"
#include "mapping/text_template.h"
#include "proto/config.pb.h"
#include "proto/entity.pb.h"
#include "proto/stages.pb.h"

namespace ferry::mapping {

// Which way a change flows through an integration: from its source to its
// target, or (for direction BOTH) back from the target to the source.
enum class Flow { kForward, kReverse };

// Whether a field or comment mapping with `direction` applies to `flow`.
bool AppliesTo(ferry::v1::Direction direction, Flow flow);

// Whether `transform` changes anything (prefix, suffix, template or
// truncate set).
bool HasTransform(const ferry::v1::Transform& transform);

// Everything the transform needs besides the mapping itself.
struct MapperOptions {
  Flow flow = Flow::kForward;
  // Schemas of the system changes come from in this flow and of the one
  // they are written to. Must outlive the Mapper (built-in schemas do).
  const SystemSchema* from_schema = nullptr;
  const SystemSchema* to_schema = nullptr;
  // Where intents go (WriteIntent.target_*).
  std::string target_system;
  std::string target_project;
  std::string target_type;
  // Criteria Ferry evaluates itself on the entity (CriteriaMatcher syntax);
  // empty when the reader's own API query already applies them.
  std::string criteria;
  // The target lookup query with @Field@ placeholders for the entity's
  // fields; empty for none.
  std::string target_lookup;
};

// One field mapping, resolved for one flow.
struct FieldPlan {
  // Index in MappingConfig.fields, for messages ("fields[2]").
  int index = 0;
  // The field read from the incoming entity and the one written.
  std::string from_field;
  std::string to_field;
  const FieldSpec* to_spec = nullptr;
  // SystemSchema::CannotClear of the target field.
  std::string cannot_clear;
  // CREATE when the target field is create-only, else as configured.
  ferry::v1::SyncWhen sync_when = ferry::v1::SYNC_WHEN_ALWAYS;
  // The value map in this flow's direction (ReverseOf for kReverse).
  ferry::v1::ValueMap value_map;
  // Transforms apply to the forward flow only.
  std::string prefix;
  std::string suffix;
  std::optional<TextTemplate> text_template;
  // Longest text written: the transform's truncate or the target's limit,
  // whichever is smaller; 0 for none.
  size_t max_length = 0;
};

// The transformer's pure mapping: a source ChangeEvent in, a WriteIntent
// out. Build one per (integration, flow) and reuse it; it is immutable and
// Map is thread-safe. No I/O; the same input always gives the same output.
class Mapper {
 public:
  // Resolves `config` for `options.flow`. Fails with InvalidArgument on the
  // first field that is unknown, read-only in the target, of a type that
  // cannot convert, or has a transform on a non-text target, and on
  // criteria CriteriaMatcher cannot evaluate. ValidateConfig reports every
  // problem at once; run it first for users.
  static absl::StatusOr<Mapper> Create(const ferry::v1::MappingConfig& config,
                                       const MapperOptions& options);

  // The intent for one change: every mapped field the entity reports
  // (value maps, typed conversion, transforms, truncation; tagged with
  // sync_when), its comments through the comment template, whether it
  // matches the criteria, and the filled target lookup query. The writer
  // decides which writes apply. Fails (naming the field and value) when a
  // look-up value has no entry and no default, a value does not convert,
  // or a lookup placeholder has no value.
  absl::StatusOr<ferry::v1::WriteIntent> Map(const ferry::v1::ChangeEvent& change) const;

  // Map, writing into `*intent` (cleared first) instead of returning: lets
  // the transformer fill a WriteBatch's intents in place, on its arena if it
  // uses one. On failure `*intent` holds a partial result to discard.
  absl::Status MapInto(const ferry::v1::ChangeEvent& change, ferry::v1::WriteIntent* intent) const;

  // The field plans, in mapping order.
  const std::vector<FieldPlan>& fields() const { return fields_; }

  // One field's write; nullopt when the entity does not report the field.
  absl::StatusOr<std::optional<ferry::v1::FieldWrite>> MapField(
      const FieldPlan& plan, const ferry::v1::Entity& entity) const;

  // The entity's comments this flow syncs, rendered, oldest first.
  // Comments without an id are left out: they could not be written once.
  std::vector<ferry::v1::CommentWrite> MapComments(const ferry::v1::Entity& entity) const;

  // FieldsRead (`creating`) or FieldsReadWhenLinked.
  std::set<std::string> FieldsReadFor(bool creating) const;

  // The names of the incoming entity's fields this flow reads: each field
  // mapping's from_field, the fields its templates, criteria and target
  // lookup name, and entity fields the comment template names. A reader
  // may leave out fields not in this set (they would be ignored).
  std::set<std::string> FieldsRead() const;
  // The names of the fields this flow reads from a change of an entity
  // already linked (its counterpart exists, so nothing is created): as
  // FieldsRead, less the field mappings written only on create
  // (sync_when CREATE, or a create-only target) and the target lookup.
  std::set<std::string> FieldsReadWhenLinked() const;

  // Whether the entity meets the criteria (true when there are none).
  bool MatchesCriteria(const ferry::v1::Entity& entity) const;

  // The filled target lookup query; "" when there is none.
  absl::StatusOr<std::string> LookupQuery(const ferry::v1::Entity& entity) const;

 private:
  Mapper() = default;
  absl::Status MapFieldInto(const FieldPlan& plan, const ferry::v1::FieldValue& source,
                            const ferry::v1::Entity& entity, ferry::v1::FieldWrite* write) const;
  bool SyncsCommentKind(const std::string& kind) const;

  MapperOptions options_;
  std::vector<FieldPlan> fields_;
  ferry::v1::CommentMapping comments_;
  TextTemplate comment_template_;
  // The source's comment kinds this mapping syncs, and the kind written.
  std::vector<std::string> source_comment_kinds_;
  std::string comment_kind_;
  CriteriaMatcher criteria_;
  TextTemplate lookup_;
};

// The comment template used when CommentMapping.template is empty.
inline constexpr char kDefaultCommentTemplate[] = "@Body@\n\n— @Author@, @Time@";

}  // namespace ferry::mapping
