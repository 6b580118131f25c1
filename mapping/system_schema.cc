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

using FT = FieldType;
using W = Writability;

// PagerDuty incidents (reference: pagerduty-rest.md §6.2, §6.5, §6.7, §13).
// Field names follow the OpsHub labels the seed uses.
SystemSchema MakePagerDuty() {
  SystemSchema s;
  s.kind = "pagerduty";
  s.fields = {
      {"Incident Key", FT::kText, W::kCreateOnly, 0, {},
       "PagerDuty sets incident_key on create only; it is read-only after"},
      {"Number", FT::kNumber, W::kReadOnly, 0, {},
       "incident_number is assigned by PagerDuty"},
      {"Id", FT::kText, W::kReadOnly, 0, {}, "the incident id is assigned by PagerDuty"},
      {"Title", FT::kText, W::kWritable, 0, {}, ""},
      {"Description", FT::kText, W::kCreateOnly, 0, {},
       "PagerDuty accepts body.details on create only; PUT ignores it"},
      {"Status", FT::kLookup, W::kWritable, 0, {"triggered", "acknowledged", "resolved"}, ""},
      {"Priority", FT::kLookup, W::kWritable, 0, {}, "priority names are account configuration"},
      {"Urgency", FT::kLookup, W::kWritable, 0, {"high", "low"}, ""},
      {"Conference Number", FT::kText, W::kWritable, 0, {}, ""},
      {"Conference URL", FT::kText, W::kWritable, 0, {}, ""},
      {"Service", FT::kLookup, W::kWritable, 0, {}, "a service reference"},
      {"Assignee", FT::kUser, W::kWritable, 0, {}, ""},
      {"Escalation Policy", FT::kLookup, W::kWritable, 0, {}, ""},
      {"Created", FT::kTime, W::kReadOnly, 0, {}, "set by PagerDuty"},
      {"Updated", FT::kTime, W::kReadOnly, 0, {}, "set by PagerDuty"},
      {"URL", FT::kText, W::kReadOnly, 0, {}, "html_url is set by PagerDuty"},
  };
  s.status_field = "Status";
  // PUT status accepts acknowledged/resolved/triggered, but acknowledged →
  // triggered is refused (§6.7; OpsHub raises a failure for it).
  s.forbidden_transitions = {{"acknowledged", "triggered"}};
  s.query_language = QueryLanguage::kUrlQuery;
  // GET /incidents filters (§6.1); OIM supports statuses[] and incident_key.
  s.query_params = {{"statuses", "Status"},
                    {"incident_key", "Incident Key"},
                    {"urgencies", "Urgency"},
                    {"service_ids", "Service"},
                    {"priority_ids", "Priority"},
                    {"ID", "Id"}};
  s.comment_kind = "note";
  s.status_update_kind = "status_update";
  return s;
}

// Jira issues (reference: jira-servicenow-rest.md §J.7–J.13). Field names
// are Jira's field ids.
SystemSchema MakeJira() {
  SystemSchema s;
  s.kind = "jira";
  s.fields = {
      {"summary", FT::kText, W::kWritable, 255, {}, "Jira limits summaries to 255 characters"},
      // Jira's default text field limit (jira.text.field.character.limit).
      {"description", FT::kText, W::kWritable, 32767, {}, ""},
      {"environment", FT::kText, W::kWritable, 32767, {}, ""},
      {"status", FT::kLookup, W::kWritable, 0, {},
       "status changes go through workflow transitions"},
      {"priority", FT::kLookup, W::kWritable, 0, {}, "priority names are site configuration"},
      {"resolution", FT::kLookup, W::kWritable, 0, {}, ""},
      // Labels cannot contain spaces, so a space-separated text is lossless.
      {"labels", FT::kText, W::kWritable, 0, {}, "labels, separated by spaces"},
      {"assignee", FT::kUser, W::kWritable, 0, {}, ""},
      {"reporter", FT::kUser, W::kWritable, 0, {}, ""},
      {"duedate", FT::kTime, W::kWritable, 0, {}, ""},
      {"issuetype", FT::kLookup, W::kCreateOnly, 0, {},
       "an issue's type changes only by moving it in Jira"},
      {"project", FT::kLookup, W::kReadOnly, 0, {},
       "the project comes from the integration's target"},
      {"key", FT::kText, W::kReadOnly, 0, {}, "issue keys are assigned by Jira"},
      {"id", FT::kText, W::kReadOnly, 0, {}, "issue ids are assigned by Jira"},
      {"created", FT::kTime, W::kReadOnly, 0, {}, "set by Jira"},
      {"updated", FT::kTime, W::kReadOnly, 0, {}, "set by Jira"},
  };
  s.custom_field_prefix = "customfield_";
  s.custom_field = {"customfield_NNNNN", FT::kAny, W::kWritable, 0, {}, ""};
  s.status_field = "status";
  s.query_language = QueryLanguage::kJql;
  s.comment_kind = "comment";
  s.comment_max_length = 32767;
  return s;
}

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

namespace {

// Schemas by kind: the built-in ones, then any registered. Entries are
// never removed, so the pointers handed out stay valid.
struct SchemaTable {
  absl::Mutex mu;
  std::map<std::string, std::unique_ptr<const SystemSchema>, std::less<>> by_kind
      ABSL_GUARDED_BY(mu);
};

SchemaTable& Schemas() {
  static SchemaTable* const table = [] {
    auto* t = new SchemaTable();
    absl::MutexLock lock(&t->mu);
    for (SystemSchema schema : {MakePagerDuty(), MakeJira()}) {
      std::string kind = schema.kind;
      t->by_kind.emplace(std::move(kind), std::make_unique<const SystemSchema>(std::move(schema)));
    }
    return t;
  }();
  return *table;
}

}  // namespace

const SystemSchema* FindSystemSchema(absl::string_view kind) {
  SchemaTable& table = Schemas();
  absl::MutexLock lock(&table.mu);
  auto it = table.by_kind.find(kind);
  return it == table.by_kind.end() ? nullptr : it->second.get();
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
