#include "tools/servicenow_sim/schema.h"

#include <utility>

namespace ferry::servicenow_sim {
namespace {

Column Text() { return {ColumnKind::kString, "", false}; }
Column Integer() { return {ColumnKind::kInteger, "", false}; }
Column DateTime() { return {ColumnKind::kDateTime, "", false}; }
Column Boolean() { return {ColumnKind::kBoolean, "", false}; }
Column Journal() { return {ColumnKind::kJournal, "", false}; }
Column Reference(std::string table) {
  return {ColumnKind::kReference, std::move(table), false};
}
Column ReadOnly(Column column) {
  column.read_only = true;
  return column;
}

TableSchema Incident() {
  return MakeSchema(
      "incident", "number",
      {{"number", Text()},
       {"short_description", Text()},
       {"description", Text()},
       {"state", Integer()},
       {"incident_state", Integer()},
       {"impact", Integer()},
       {"urgency", Integer()},
       {"priority", ReadOnly(Integer())},
       {"severity", Integer()},
       {"hold_reason", Integer()},
       {"close_code", Text()},
       {"close_notes", Text()},
       {"category", Text()},
       {"subcategory", Text()},
       {"active", Boolean()},
       {"caller_id", Reference("sys_user")},
       {"opened_by", Reference("sys_user")},
       {"assigned_to", Reference("sys_user")},
       {"assignment_group", Reference("sys_user_group")},
       {"resolved_by", Reference("sys_user")},
       {"closed_by", Reference("sys_user")},
       {"opened_at", DateTime()},
       {"resolved_at", DateTime()},
       {"closed_at", DateTime()},
       {"correlation_id", Text()},
       {"correlation_display", Text()},
       {"comments", Journal()},
       {"work_notes", Journal()},
       {"comments_and_work_notes", ReadOnly(Journal())}},
      /*audited=*/true);
}

TableSchema SysUser() {
  return MakeSchema("sys_user", "name",
                    {{"user_name", Text()},
                     {"name", Text()},
                     {"first_name", Text()},
                     {"last_name", Text()},
                     {"email", Text()},
                     {"active", Boolean()},
                     {"time_zone", Text()},
                     {"roles", Text()},
                     {"user_password", {ColumnKind::kPassword, "", false}}});
}

TableSchema SysUserGroup() {
  return MakeSchema("sys_user_group", "name",
                    {{"name", Text()},
                     {"description", Text()},
                     {"email", Text()},
                     {"active", Boolean()},
                     {"manager", Reference("sys_user")}});
}

TableSchema SysChoice() {
  return MakeSchema("sys_choice", "label",
                    {{"name", Text()},
                     {"element", Text()},
                     {"value", Text()},
                     {"label", Text()},
                     {"sequence", Integer()},
                     {"language", Text()},
                     {"inactive", Boolean()}});
}

TableSchema SysJournalField() {
  return MakeSchema("sys_journal_field", "value",
                    {{"name", Text()},
                     {"element", Text()},
                     {"element_id", Text()},
                     {"value", Text()}});
}

TableSchema SysAudit() {
  return MakeSchema("sys_audit", "fieldname",
                    {{"tablename", Text()},
                     {"fieldname", Text()},
                     {"documentkey", Text()},
                     {"user", Text()},
                     {"oldvalue", Text()},
                     {"newvalue", Text()},
                     {"reason", Text()},
                     {"record_checkpoint", Integer()}});
}

TableSchema OauthEntity() {
  return MakeSchema("oauth_entity", "name",
                    {{"name", Text()},
                     {"client_id", Text()},
                     {"client_secret", {ColumnKind::kPassword, "", false}},
                     {"access_token_lifespan", Integer()},
                     {"refresh_token_lifespan", Integer()}});
}

}  // namespace

const Column* TableSchema::Find(const std::string& column) const {
  auto it = columns.find(column);
  return it == columns.end() ? nullptr : &it->second;
}

TableSchema MakeSchema(std::string name, std::string display_column,
                       absl::btree_map<std::string, Column> columns,
                       bool audited) {
  TableSchema schema{std::move(name), std::move(display_column),
                     std::move(columns), audited};
  for (const char* column : kSystemColumns) {
    schema.columns[column] = ReadOnly(Text());
  }
  schema.columns["sys_created_on"].kind = ColumnKind::kDateTime;
  schema.columns["sys_updated_on"].kind = ColumnKind::kDateTime;
  schema.columns["sys_mod_count"].kind = ColumnKind::kInteger;
  return schema;
}

bool IsSystemColumn(const std::string& column) {
  for (const char* system : kSystemColumns) {
    if (column == system) return true;
  }
  return false;
}

std::vector<TableSchema> DefaultSchemas() {
  return {Incident(),        SysUser(),  SysUserGroup(), SysChoice(),
          SysJournalField(), SysAudit(), OauthEntity()};
}

}  // namespace ferry::servicenow_sim
