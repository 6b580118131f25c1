#include "tools/docgen/fields_table.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace ferry::docgen {

std::string WhoWrites(mapping::Writability writability) {
  switch (writability) {
    case mapping::Writability::kWritable:
      return "source or target";
    case mapping::Writability::kCreateOnly:
      return "target on create only (`sync_when: CREATE`)";
    case mapping::Writability::kReadOnly:
      return "source only (read-only)";
  }
  return "";
}

std::string Cell(const std::string& text) {
  return absl::StrReplaceAll(text, {{"\n", " "}, {"|", "\\|"}});
}

std::string FieldsTable(const std::vector<mapping::FieldSpec>& fields) {
  std::string out =
      "| field | type | in a mapping | values | notes |\n"
      "| --- | --- | --- | --- | --- |\n";
  for (const mapping::FieldSpec& field : fields) {
    std::string values = absl::StrJoin(field.values, ", ");
    if (values.empty() && field.type == mapping::FieldType::kLookup) {
      values = "site configuration";
    }
    std::string note = field.note;
    if (field.max_length > 0 &&
        !absl::StrContains(note, absl::StrCat(field.max_length))) {
      absl::StrAppend(&note, note.empty() ? "" : "; ", "at most ",
                      field.max_length, " characters");
    }
    absl::StrAppend(&out, "| `", Cell(field.name), "` | ",
                    mapping::FieldTypeName(field.type), " | ",
                    WhoWrites(field.writability), " | ", Cell(values), " | ",
                    Cell(note), " |\n");
  }
  return out;
}

std::string SchemaReference(const mapping::SystemSchema& schema,
                            const std::vector<mapping::FieldSpec>& site_fields) {
  std::string out = absl::StrCat(
      "Field names are written as below in a mapping's `source`/`target`, "
      "in criteria and in `@Field@` lookup placeholders.\n\n",
      FieldsTable(schema.fields));
  if (!schema.custom_field_prefix.empty()) {
    absl::StrAppend(
        &out, "\nCustom fields are named `", schema.custom_field_prefix,
        "` and their number (`", schema.custom_field.name, "`), of type ",
        mapping::FieldTypeName(schema.custom_field.type), ", ",
        WhoWrites(schema.custom_field.writability), ". ");
    if (site_fields.empty()) {
      absl::StrAppend(&out,
                      "A site's custom fields, by name and id, are listed by "
                      "`ferryctl fields <system> --config=<file>`.\n");
    } else {
      absl::StrAppend(&out, "This site's:\n\n", FieldsTable(site_fields));
    }
  }
  if (!schema.status_field.empty()) {
    absl::StrAppend(&out, "\nThe status field is `", schema.status_field, "`.");
    if (!schema.forbidden_transitions.empty()) {
      std::vector<std::string> changes;
      for (const auto& [from, to] : schema.forbidden_transitions) {
        changes.push_back(absl::StrCat("`", from, "` → `", to, "`"));
      }
      absl::StrAppend(&out, " The system refuses these changes: ",
                      absl::StrJoin(changes, ", "), ".");
    }
    absl::StrAppend(&out, "\n");
  }
  if (!schema.comment_kinds.empty()) {
    std::vector<std::string> kinds;
    for (const std::string& kind : schema.comment_kinds) {
      kinds.push_back(absl::StrCat("`", kind, "`"));
    }
    absl::StrAppend(&out, "\nComment kinds: ", absl::StrJoin(kinds, ", "),
                    " (the first is what a mapping's comments write unless it "
                    "names another).");
    if (schema.comment_max_length > 0) {
      absl::StrAppend(&out, " A comment holds at most ",
                      schema.comment_max_length, " characters.");
    }
    absl::StrAppend(&out, "\n");
  }
  if (!schema.query_params.empty()) {
    absl::StrAppend(&out,
                    "\nCriteria query parameters the API filters on, and the "
                    "field each tests:\n\n| parameter | field |\n| --- | --- |\n");
    for (const auto& [param, field] : schema.query_params) {
      absl::StrAppend(&out, "| `", param, "` | `", field, "` |\n");
    }
  }
  if (!schema.criteria_example.empty()) {
    absl::StrAppend(&out, "\nCriteria example: `", schema.criteria_example, "`\n");
  }
  if (!schema.lookup_example.empty()) {
    absl::StrAppend(&out, "\nTarget lookup example: `", schema.lookup_example, "`\n");
  }
  return out;
}

}  // namespace ferry::docgen
