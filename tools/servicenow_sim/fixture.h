#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/record.h"
#include "tools/servicenow_sim/servicenow_simulator.h"

namespace ferry::servicenow_sim {

// A row the fixture puts in a table.
struct FixtureRow {
  std::string table;
  Record row;
};

// An inbound REST rate-limit rule (sys_rate_limit_rules): at most
// `requests_per_hour` Table API requests per hour by one user (`type`
// "user", `user` a user_name), by each user holding a role (`type` "role",
// `role`), or by each user (`type` "all"). Inactive rules are listed so the
// admin API can switch them on.
struct RateLimitRule {
  std::string sys_id;
  std::string name;
  bool active = false;
  std::string type;
  std::string user;
  std::string role;
  int64_t requests_per_hour = 0;
};

// The instance a simulator starts with.
struct Fixture {
  // In load order: sys_user, sys_user_group, sys_choice, oauth_entity.
  std::vector<FixtureRow> rows;
  std::vector<RateLimitRule> rate_limit_rules;
};

// Builds a Fixture from a fixture document (testdata/fixture.json):
//
//   {"createdOn": "yyyy-MM-dd HH:mm:ss",
//    "users": [{"sys_id", "user_name", "name", "first_name", "last_name",
//               "email", "time_zone", "password", "roles": [...]}],
//    "groups": [{"sys_id", "name", "description", "email",
//                "manager": user_name}],
//    "choices": [{"table", "element", "choices": [[value, label], ...]}],
//    "oauthClients": [{"sys_id", "name", "client_id", "client_secret",
//                      "access_token_lifespan", "refresh_token_lifespan"}],
//    "rateLimitRules": [{"sys_id", "name", "active", "type", "user", "role",
//                        "limit"}]}
//
// Users become sys_user rows (active "true", `roles` comma-joined,
// `user_password` the password); groups sys_user_group rows (`manager` the
// manager's sys_id); each choice a sys_choice row (name = table, language
// "en", inactive "false", sequence its 1-based position); OAuth clients
// oauth_entity rows. Every row gets the system columns: sys_created_on and
// sys_updated_on = createdOn (default "2026-01-01 00:00:00"),
// sys_created_by and sys_updated_by "admin", sys_mod_count "0", and a
// sys_id (given, or made from the table and position for choices).
// Sys_ids must be 32 lowercase hex digits and unique; user names unique;
// references (manager, a rule's user) must name a user. An error names the
// section, the entry and the fix; nothing in a fixture throws.
absl::StatusOr<Fixture> FixtureFromJsonText(const std::string& text);

// The fixture's active rate-limit rules in the form the simulator's rule
// set takes ({"rules": [{"type", "user"|"role", "limit"}]}); inactive ones
// are left out, to be switched on through the admin API.
nlohmann::json ActiveRateRulesJson(const Fixture& fixture);

// Reads and parses a fixture file.
absl::StatusOr<Fixture> FixtureFromFile(const std::string& path);

// Seeds `fixture`'s rows into the simulator's store (Store::Seed) and sets
// its rate-limit rules to the fixture's active ones. Call before Start().
// Fails on a row the store refuses (a sys_id already there: load a fixture
// once), naming it.
absl::Status LoadFixture(const Fixture& fixture, ServiceNowSimulator& simulator);

}  // namespace ferry::servicenow_sim
