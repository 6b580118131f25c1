#include "tools/servicenow_sim/fixture.h"

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/servicenow_simulator.h"

namespace ferry::servicenow_sim {
namespace {

using ::testing::HasSubstr;

constexpr char kFixture[] = "tools/servicenow_sim/testdata/fixture.json";

const Record* FindRow(const Fixture& fixture, const std::string& table,
                      const std::string& column, const std::string& value) {
  for (const FixtureRow& row : fixture.rows) {
    if (row.table != table) continue;
    auto it = row.row.find(column);
    if (it != row.row.end() && it->second == value) return &row.row;
  }
  return nullptr;
}

int Count(const Fixture& fixture, const std::string& table,
          const std::string& element = "") {
  int n = 0;
  for (const FixtureRow& row : fixture.rows) {
    if (row.table == table &&
        (element.empty() || row.row.at("element") == element)) {
      ++n;
    }
  }
  return n;
}

TEST(FixtureTest, ShippedFixtureHasTheUsersRolesAndGroupsTheTestsUse) {
  absl::StatusOr<Fixture> fixture = FixtureFromFile(kFixture);
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  const Record* ferry = FindRow(*fixture, "sys_user", "user_name", "ferry");
  ASSERT_NE(ferry, nullptr);
  EXPECT_EQ(ferry->at("roles"), "itil,audit_viewer");
  EXPECT_EQ(ferry->at("active"), "true");
  EXPECT_FALSE(ferry->at("user_password").empty());
  EXPECT_EQ(FindRow(*fixture, "sys_user", "user_name", "alice")->at("roles"),
            "itil");
  EXPECT_EQ(FindRow(*fixture, "sys_user", "user_name", "viewer")->at("roles"),
            "");
  EXPECT_EQ(FindRow(*fixture, "sys_user", "user_name", "admin")->at("roles"),
            "admin");
  for (const char* group : {"Network", "Service Desk", "Database"}) {
    EXPECT_NE(FindRow(*fixture, "sys_user_group", "name", group), nullptr)
        << group;
  }
  EXPECT_EQ(FindRow(*fixture, "sys_user_group", "name", "Network")->at("manager"),
            FindRow(*fixture, "sys_user", "user_name", "alice")->at("sys_id"));
}

TEST(FixtureTest, ShippedFixtureHasTheIncidentChoiceLists) {
  absl::StatusOr<Fixture> fixture = FixtureFromFile(kFixture);
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  EXPECT_EQ(Count(*fixture, "sys_choice", "state"), 6);
  EXPECT_EQ(Count(*fixture, "sys_choice", "impact"), 3);
  EXPECT_EQ(Count(*fixture, "sys_choice", "urgency"), 3);
  EXPECT_EQ(Count(*fixture, "sys_choice", "priority"), 5);
  EXPECT_EQ(Count(*fixture, "sys_choice", "hold_reason"), 4);
  const Record* resolved = FindRow(*fixture, "sys_choice", "label", "Resolved");
  ASSERT_NE(resolved, nullptr);
  EXPECT_EQ(resolved->at("name"), "incident");
  EXPECT_EQ(resolved->at("value"), "6");
  EXPECT_EQ(resolved->at("language"), "en");
  EXPECT_NE(FindRow(*fixture, "sys_choice", "value", "Solved (Permanently)"),
            nullptr);
  EXPECT_NE(FindRow(*fixture, "sys_choice", "value", "Not Solved (Not Reproducible)"),
            nullptr);
}

TEST(FixtureTest, OAuthClientAndRateLimitRuleOffByDefault) {
  absl::StatusOr<Fixture> fixture = FixtureFromFile(kFixture);
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  const Record* client =
      FindRow(*fixture, "oauth_entity", "client_id", "ferry-client");
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->at("access_token_lifespan"), "1800");
  ASSERT_EQ(fixture->rate_limit_rules.size(), 1u);
  const RateLimitRule& rule = fixture->rate_limit_rules[0];
  EXPECT_FALSE(rule.active);
  EXPECT_EQ(rule.type, "user");
  EXPECT_EQ(rule.user, "ferry");
  EXPECT_EQ(rule.requests_per_hour, 100);
  EXPECT_EQ(ActiveRateRulesJson(*fixture), nlohmann::json::parse(R"({"rules": []})"));
  fixture->rate_limit_rules[0].active = true;
  EXPECT_EQ(ActiveRateRulesJson(*fixture),
            nlohmann::json::parse(
                R"({"rules": [{"type": "user", "user": "ferry", "limit": 100}]})"));
}

TEST(FixtureTest, EveryRowHasUniqueSysIdAndSystemColumns) {
  absl::StatusOr<Fixture> fixture = FixtureFromJsonText(R"({
    "createdOn": "2026-02-03 04:05:06",
    "users": [{"sys_id": "0123456789abcdef0123456789abcdef",
               "user_name": "u", "password": "p"}],
    "choices": [{"table": "incident", "element": "state",
                 "choices": [["1", "New"], ["2", "In Progress"]]},
                {"table": "incident", "element": "impact",
                 "choices": [["1", "1 - High"]]}]})");
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  ASSERT_EQ(fixture->rows.size(), 4u);
  std::set<std::string> ids;
  for (const FixtureRow& row : fixture->rows) {
    EXPECT_EQ(row.row.at("sys_created_on"), "2026-02-03 04:05:06");
    EXPECT_EQ(row.row.at("sys_updated_on"), "2026-02-03 04:05:06");
    EXPECT_EQ(row.row.at("sys_mod_count"), "0");
    EXPECT_EQ(row.row.at("sys_id").size(), 32u);
    ids.insert(row.row.at("sys_id"));
  }
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_EQ(fixture->rows[2].row.at("sequence"), "2");
}

TEST(FixtureTest, ErrorsNameTheEntryAndTheFix) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"[]", "is not a JSON object"},
           {"{", "is not a JSON object"},
           {R"({"users": [{"sys_id": "0123456789abcdef0123456789abcdef",
                           "user_name": "u"}]})",
            "user u: \"password\" is missing"},
           {R"({"users": [{"sys_id": "XYZ", "user_name": "u",
                           "password": "p"}]})",
            "user u: sys_id \"XYZ\" must be 32 lowercase hex digits"},
           {R"({"users": [{"sys_id": "0123456789abcdef0123456789abcdef",
                           "user_name": "u", "password": "p", "roles": [1]}]})",
            "\"roles\" must list role names"},
           {R"({"users": [{"sys_id": "0123456789abcdef0123456789abcdef",
                           "user_name": "u", "password": "p"},
                          {"sys_id": "0123456789abcdef0123456789abcdee",
                           "user_name": "u", "password": "p"}]})",
            "user_name \"u\" is used twice"},
           {R"({"groups": [{"sys_id": "0123456789abcdef0123456789abcdef",
                            "name": "G", "manager": "nobody"}]})",
            "group G: \"manager\" \"nobody\" is not a user_name"},
           {R"({"choices": [{"table": "incident", "element": "state",
                             "choices": [["1"]]}]})",
            "choice incident.state[0]: each choice is [value, label]"},
           {R"({"rateLimitRules": [{"sys_id": "0123456789abcdef0123456789abcdef",
                                    "name": "R", "type": "all",
                                    "limit": 0}]})",
            "rate-limit rule R: \"limit\" is requests per hour"},
           {R"({"rateLimitRules": [{"sys_id": "0123456789abcdef0123456789abcdef",
                                    "name": "R", "type": "group",
                                    "limit": 5}]})",
            "\"type\" must be \"user\", \"role\" or \"all\""},
           {R"({"users": "ferry"})", "\"users\" must be an array"},
           {R"({"rateLimitRules": [{"sys_id": "0123456789abcdef0123456789abcdef",
                                    "name": "R", "type": "all", "active": "yes",
                                    "limit": 5}]})",
            "rate-limit rule R: \"active\" must be true or false"},
           {R"({"rateLimitRules": [{"sys_id": "0123456789abcdef0123456789abcdef",
                                    "name": "R", "type": "all", "limit": "5"}]})",
            "rate-limit rule R: \"limit\" must be a whole number"},
       }) {
    absl::StatusOr<Fixture> fixture = FixtureFromJsonText(c.text);
    ASSERT_FALSE(fixture.ok()) << c.text;
    EXPECT_EQ(fixture.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(fixture.status().message(), HasSubstr(c.message)) << c.text;
  }
}

httplib::Result GetAs(httplib::Client& client, const std::string& user,
                      const std::string& path) {
  return client.Get(path, {{"Authorization",
                            "Basic " + absl::Base64Escape(user + ":" + user +
                                                          "-password")},
                           {"Accept", "application/json"}});
}

TEST(FixtureTest, LoadedFixtureLetsItsUsersInWithTheirRoles) {
  absl::StatusOr<Fixture> fixture = FixtureFromFile(kFixture);
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  fixture->rate_limit_rules[0].active = true;
  ServiceNowSimulator simulator{simcore::SimServerOptions()};
  ASSERT_TRUE(LoadFixture(*fixture, simulator).ok());
  absl::StatusOr<int> port = simulator.Start();
  ASSERT_TRUE(port.ok()) << port.status();
  httplib::Client client("127.0.0.1", *port);

  httplib::Result groups = GetAs(client, "ferry", "/api/now/table/sys_user_group");
  ASSERT_TRUE(groups);
  ASSERT_EQ(groups->status, 200) << groups->body;
  EXPECT_EQ(nlohmann::json::parse(groups->body)["result"].size(), 3u);
  EXPECT_EQ(groups->get_header_value("X-RateLimit-Limit"), "100");
  EXPECT_EQ(GetAs(client, "alice", "/api/now/table/incident")->status, 200);
  EXPECT_EQ(GetAs(client, "alice", "/api/now/table/sys_audit")->status, 403);
  EXPECT_EQ(GetAs(client, "viewer", "/api/now/table/incident")->status, 403);
  EXPECT_EQ(GetAs(client, "ferry", "/api/now/table/sys_audit")->status, 200);
  simulator.Stop();

  ServiceNowSimulator twice{simcore::SimServerOptions()};
  ASSERT_TRUE(LoadFixture(*fixture, twice).ok());
  absl::Status again = LoadFixture(*fixture, twice);
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(again.message(), HasSubstr("fixture row sys_user/"));
}

TEST(FixtureTest, MissingFileSaysHowToPassOne) {
  absl::StatusOr<Fixture> fixture = FixtureFromFile("/nonexistent/fixture.json");
  EXPECT_EQ(fixture.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(fixture.status().message(), HasSubstr("--fixture="));
}

}  // namespace
}  // namespace ferry::servicenow_sim
