#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "mapping/query_dialect.h"

namespace ferry::mapping {

// The kind of value a field holds; mirrors ferry.v1.FieldValue's oneof.
enum class FieldType {
  kText,
  kNumber,
  kLookup,
  kUser,
  kTime,
  // Any kind: custom fields whose type only the end system's metadata knows.
  kAny,
};

// Readable name of a FieldType ("text", "lookup"), for messages.
absl::string_view FieldTypeName(FieldType type);

// Whether Ferry may write a field of an existing or new entity.
enum class Writability {
  kWritable,
  // Only when the entity is created (PagerDuty Description, Incident Key).
  kCreateOnly,
  // Never (ids, numbers, keys, timestamps kept by the system).
  kReadOnly,
};

// One field of an end system as mappings see it.
struct FieldSpec {
  // The name used in Entity.fields and in mappings ("Title", "summary").
  std::string name;
  FieldType type = FieldType::kText;
  Writability writability = Writability::kWritable;
  // Longest text the system accepts, in characters; 0 when no limit is
  // documented.
  size_t max_length = 0;
  // For lookups whose values are fixed by the system (PagerDuty statuses,
  // urgencies): every value. Empty when the values are site configuration.
  std::vector<std::string> values;
  // Why the field cannot be written, or another fact a fix should mention.
  std::string note;
};

// One end system kind's fields and rules, as mappings, criteria and target
// lookups see them. Plain data, defined by the system's connector in
// `connectors/<kind>/` and registered with its descriptor (see
// docs/adding-a-system.md); nothing in mapping names a concrete system.
struct SystemSchema {
  // SystemConfig.kind of the systems this schema describes.
  std::string kind;
  std::vector<FieldSpec> fields;
  // Fields named this prefix plus digits (Jira "customfield_10010") are
  // accepted as `custom_field`; empty when the system has no such pattern.
  std::string custom_field_prefix;
  FieldSpec custom_field;
  // The field holding the entity's workflow state.
  std::string status_field;
  // Direct status changes the system refuses (PagerDuty acknowledged →
  // triggered). Every other change between `values` of the status field is
  // allowed; a workflow graph (StatusGraph) replaces this when supplied.
  std::vector<std::pair<std::string, std::string>> forbidden_transitions;
  // Fields the system cannot unset once they hold a value, each with the
  // sentence saying so ("Conference URL" → "PagerDuty cannot unset it"). A
  // cleared source value of one is not written; the writer reports the
  // sentence instead (FieldWrite.cannot_clear).
  std::vector<std::pair<std::string, std::string>> cannot_clear;
  // How criteria and target lookup queries are written for this system;
  // null when the system has none (criteria then take values as written,
  // and lookups fill values unescaped).
  std::shared_ptr<const QueryDialect> query_dialect;
  // Criteria query parameters the system's API filters on, and the field
  // each one tests ("statuses" → "Status").
  std::vector<std::pair<std::string, std::string>> query_params;
  // For fixes of config problems: criteria and a target lookup written the
  // way this system expects ("statuses[]=triggered", "ID=@Field@"); empty
  // when the dialect leaves queries to the system.
  std::string criteria_example;
  std::string lookup_example;
  // The kinds of comment the system keeps, as Comment.kind names them
  // ("note", "status_update"). The first is its plain comment: what is
  // written, and read, when a mapping names no kind the system has.
  std::vector<std::string> comment_kinds;
  // Longest comment body accepted, in characters; 0 when not documented.
  size_t comment_max_length = 0;

  // The field called `name`, a custom field matching the pattern, or
  // nullptr. The pointer lives as long as the schema.
  const FieldSpec* FindField(absl::string_view name) const;
  // The field a criteria query parameter tests, or an empty view.
  absl::string_view FieldOfQueryParam(absl::string_view param) const;
  // Every field name, comma separated, for "known fields are …" messages.
  std::string FieldNames() const;
  // The plain comment kind: the first of comment_kinds, or "comment" when
  // the schema lists none.
  absl::string_view PlainCommentKind() const;
  // Whether `kind` is one of comment_kinds.
  bool HasCommentKind(absl::string_view kind) const;
  // The cannot_clear sentence of `field`, or an empty view.
  absl::string_view CannotClear(absl::string_view field) const;
};

// The schema registered for a system kind; nullptr for an unknown kind.
// Schemas are immutable and live for the whole program; thread-safe.
const SystemSchema* FindSystemSchema(absl::string_view kind);

// Every kind with a registered schema, sorted. Thread-safe.
std::vector<std::string> SystemSchemaKinds();

// Makes `schema` findable by its kind. Called when a system's descriptor is
// registered (engine/connector/registry.h), at static-initialisation time;
// registering a kind twice is a programming error and aborts, naming it.
// Thread-safe.
void RegisterSystemSchema(SystemSchema schema);

}  // namespace ferry::mapping
