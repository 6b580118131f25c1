#pragma once

#include <string>

#include "absl/container/flat_hash_set.h"

namespace ferry::servicenow_sim {

// The authenticated caller of a Table API request.
struct Caller {
  std::string sys_id;
  std::string user_name;
  // From sys_user.roles (comma-separated), e.g. {"itil", "audit_viewer"}.
  absl::flat_hash_set<std::string> roles;

  bool Has(const std::string& role) const {
    return roles.contains(role) || roles.contains("admin");
  }
};

// The table-level ACLs of the simulated instance (a simplification of
// ServiceNow's default ACLs, enough for an integration user):
//   admin         everything;
//   itil          read and write incident; read sys_user, sys_user_group,
//                 sys_choice;
//   audit_viewer  read sys_journal_field and sys_audit;
//   anyone        nothing else (oauth_entity: admin only).
bool CanRead(const Caller& caller, const std::string& table);
bool CanWrite(const Caller& caller, const std::string& table);

// The role(s) that would allow reading / writing `table`, for error details.
std::string RoleToRead(const std::string& table);

}  // namespace ferry::servicenow_sim
