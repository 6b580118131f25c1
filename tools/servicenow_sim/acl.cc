#include "tools/servicenow_sim/acl.h"

namespace ferry::servicenow_sim {

std::string RoleToRead(const std::string& table) {
  if (table == "incident" || table == "sys_user" ||
      table == "sys_user_group" || table == "sys_choice") {
    return "itil";
  }
  if (table == "sys_journal_field" || table == "sys_audit") {
    return "audit_viewer";
  }
  return "admin";
}

bool CanRead(const Caller& caller, const std::string& table) {
  return caller.Has(RoleToRead(table));
}

bool CanWrite(const Caller& caller, const std::string& table) {
  if (table == "incident") return caller.Has("itil");
  return caller.Has("admin");
}

}  // namespace ferry::servicenow_sim
