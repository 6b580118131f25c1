#include "tools/servicenow_sim/render.h"

#include "absl/strings/str_cat.h"

namespace ferry::servicenow_sim {
namespace {

nlohmann::json RenderField(const Tables& tables, const TableSchema& schema,
                           const Record& row, const std::string& field,
                           const RenderOptions& options) {
  const TableSchema* owner = &schema;
  const bool walked = field.find('.') != std::string::npos;
  const Column* column = walked ? tables.ColumnOf(schema, field, &owner)
                                : schema.Find(field);
  std::string value;
  if (walked) {
    std::optional<FieldValue> read = tables.ReadPath(schema, row, field);
    if (read) value = read->text;
  } else {
    value = ColumnValue(row, field);
  }
  if (column->kind == ColumnKind::kJournal) value.clear();
  const std::string column_name = field.substr(field.rfind('.') + 1);
  const bool reference = column->kind == ColumnKind::kReference;
  if (options.display == DisplayMode::kValue) {
    if (!reference || options.exclude_reference_link || value.empty()) {
      return value;
    }
    return {{"link", absl::StrCat(options.base_url, "/api/now/table/",
                                  column->reference, "/", value)},
            {"value", value}};
  }
  std::string display = tables.DisplayValue(*owner, column_name, value);
  if (reference && !options.exclude_reference_link && !value.empty()) {
    nlohmann::json rendered = {
        {"display_value", display},
        {"link", absl::StrCat(options.base_url, "/api/now/table/",
                              column->reference, "/", value)}};
    if (options.display == DisplayMode::kAll) rendered["value"] = value;
    return rendered;
  }
  if (options.display == DisplayMode::kDisplay) return display;
  return {{"display_value", display}, {"value", value}};
}

}  // namespace

nlohmann::json RenderRecord(const Tables& tables, const TableSchema& schema,
                            const Record& row, const RenderOptions& options) {
  nlohmann::json rendered = nlohmann::json::object();
  if (options.fields.empty()) {
    for (const auto& [name, column] : schema.columns) {
      if (column.kind == ColumnKind::kPassword) continue;
      rendered[name] = RenderField(tables, schema, row, name, options);
    }
    return rendered;
  }
  for (const std::string& field : options.fields) {
    const Column* column = tables.ColumnOf(schema, field);
    if (column == nullptr || column->kind == ColumnKind::kPassword) continue;
    rendered[field] = RenderField(tables, schema, row, field, options);
  }
  return rendered;
}

}  // namespace ferry::servicenow_sim
