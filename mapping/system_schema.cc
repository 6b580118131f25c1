#include "mapping/system_schema.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"

namespace ferry::mapping {
namespace {

bool IsCustomFieldName(absl::string_view prefix, absl::string_view name) {
  if (prefix.empty() || !absl::StartsWith(name, prefix) || name.size() == prefix.size()) {
    return false;
  }
  for (char c : name.substr(prefix.size())) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kText: return "text";
    case FieldType::kNumber: return "number";
    case FieldType::kLookup: return "lookup";
    case FieldType::kUser: return "user";
    case FieldType::kTime: return "time";
    case FieldType::kAny: return "any";
  }
  return "unknown";
}

const FieldSpec* SystemSchema::FindField(absl::string_view name) const {
  for (const FieldSpec& field : fields) {
    if (field.name == name) return &field;
  }
  if (IsCustomFieldName(custom_field_prefix, name)) return &custom_field;
  return nullptr;
}

absl::string_view SystemSchema::FieldOfQueryParam(absl::string_view param) const {
  for (const auto& [name, field] : query_params) {
    if (name == param) return field;
  }
  return {};
}

std::string SystemSchema::FieldNames() const {
  std::string names = absl::StrJoin(fields, ", ", [](std::string* out, const FieldSpec& f) {
    out->append(f.name);
  });
  if (!custom_field_prefix.empty()) absl::StrAppend(&names, ", ", custom_field.name);
  return names;
}

absl::string_view SystemSchema::PlainCommentKind() const {
  return comment_kinds.empty() ? absl::string_view("comment") : comment_kinds.front();
}

absl::string_view SystemSchema::CannotClear(absl::string_view field) const {
  for (const auto& [name, why] : cannot_clear) {
    if (name == field) return why;
  }
  return {};
}

bool SystemSchema::HasCommentKind(absl::string_view kind) const {
  for (const std::string& known : comment_kinds) {
    if (known == kind) return true;
  }
  return false;
}

namespace {

// Schemas by kind, as registered. Entries are never removed, so the
// pointers handed out stay valid.
struct SchemaTable {
  absl::Mutex mu;
  std::map<std::string, std::unique_ptr<const SystemSchema>, std::less<>> by_kind
      ABSL_GUARDED_BY(mu);
};

SchemaTable& Schemas() {
  static SchemaTable* const table = new SchemaTable();
  return *table;
}

}  // namespace

const SystemSchema* FindSystemSchema(absl::string_view kind) {
  SchemaTable& table = Schemas();
  absl::MutexLock lock(&table.mu);
  auto it = table.by_kind.find(kind);
  return it == table.by_kind.end() ? nullptr : it->second.get();
}

std::vector<std::string> SystemSchemaKinds() {
  SchemaTable& table = Schemas();
  absl::MutexLock lock(&table.mu);
  std::vector<std::string> kinds;
  for (const auto& [kind, unused] : table.by_kind) kinds.push_back(kind);
  return kinds;
}

void RegisterSystemSchema(SystemSchema schema) {
  SchemaTable& table = Schemas();
  absl::MutexLock lock(&table.mu);
  std::string kind = schema.kind;
  if (!table.by_kind.emplace(kind, std::make_unique<const SystemSchema>(std::move(schema))).second) {
    std::fprintf(stderr, "system schema '%s' is registered twice\n", kind.c_str());
    std::abort();
  }
}

}  // namespace ferry::mapping
