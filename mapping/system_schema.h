#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

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

// How a system's query strings are written; decides how values filled into
// a target lookup query are escaped.
enum class QueryLanguage {
  // URL query parameters (PagerDuty): `incident_key=abc&statuses[]=x`.
  kUrlQuery,
  // Jira Query Language: values go inside double quotes.
  kJql,
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

// One end system kind's fields and rules. Plain data: add a system by adding
// a table in system_schema.cc.
struct SystemSchema {
  // SystemConfig.kind: "pagerduty", "jira".
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
  QueryLanguage query_language = QueryLanguage::kUrlQuery;
  // Criteria query parameters the system's API filters on, and the field
  // each one tests ("statuses" → "Status").
  std::vector<std::pair<std::string, std::string>> query_params;
  // Comment kinds: what a plain comment is called ("note", "comment"), and
  // the status-update kind where the system has one (empty otherwise).
  std::string comment_kind;
  std::string status_update_kind;
  // Longest comment body accepted, in characters; 0 when not documented.
  size_t comment_max_length = 0;

  // The field called `name`, a custom field matching the pattern, or
  // nullptr. The pointer lives as long as the schema.
  const FieldSpec* FindField(absl::string_view name) const;
  // The field a criteria query parameter tests, or an empty view.
  absl::string_view FieldOfQueryParam(absl::string_view param) const;
  // Every field name, comma separated, for "known fields are …" messages.
  std::string FieldNames() const;
};

// The schema of a system kind: built in ("pagerduty", "jira") or
// registered; nullptr for an unknown kind. Schemas are immutable and live
// for the whole program; thread-safe.
const SystemSchema* FindSystemSchema(absl::string_view kind);

// Adds the schema of a kind that is not built in (the fake system the
// engine's tests run against, a connector that brings its own). Meant for
// static registration next to the connector; registering a kind that
// already has a schema aborts, naming it. Thread-safe.
void RegisterSystemSchema(SystemSchema schema);

}  // namespace ferry::mapping
