// Per-hour rate-limit rules: headers, 429, precedence, the next hour.
#include "tools/servicenow_sim/rate_rules.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/testing/test_servicenow.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kIncidents[] = "/api/now/table/incident";

void SetRules(TestServiceNow& sn, const nlohmann::json& rules) {
  httplib::Result set = sn.client().Put("/admin/servicenow/rate_limit_rules",
                                        nlohmann::json{{"rules", rules}}.dump(),
                                        "application/json");
  ASSERT_TRUE(set);
  ASSERT_EQ(set->status, 200) << set->body;
}

TEST(RateLimitTest, NoRuleNoHeaders) {
  TestServiceNow sn;
  httplib::Result result = sn.Get(kIncidents);
  EXPECT_FALSE(result->has_header("X-RateLimit-Limit"));
}

TEST(RateLimitTest, UserRuleCountsPerHourThen429WithRetryAfter) {
  TestServiceNow sn;
  SetRules(sn, {{{"type", "user"}, {"user", "ferry"}, {"limit", 2}}});
  httplib::Result first = sn.Get(kIncidents);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->get_header_value("X-RateLimit-Limit"), "2");
  EXPECT_EQ(first->get_header_value("X-RateLimit-Rule").size(), 32u);
  int64_t reset = 0;
  ASSERT_TRUE(absl::SimpleAtoi(first->get_header_value("X-RateLimit-Reset"), &reset));
  const int64_t now = absl::ToUnixSeconds(sn.simulator().server().clock().Now());
  EXPECT_GT(reset, now);
  EXPECT_LE(reset, now + 3600);
  EXPECT_EQ(reset % 3600, 0);
  EXPECT_EQ(sn.Get(kIncidents)->status, 200);
  httplib::Result refused = sn.Get(kIncidents);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(Body(refused), nlohmann::json::parse(R"({"error":{"message":
      "Rate limit exceeded","detail":"Rate limit of 2 requests per hour for Table API exceeded"},
      "status":"failure"})"));
  int retry = 0;
  ASSERT_TRUE(absl::SimpleAtoi(refused->get_header_value("Retry-After"), &retry));
  EXPECT_EQ(retry, reset - now);
  // Other users are not limited by ferry's rule.
  EXPECT_EQ(sn.Get(kIncidents, "itil_only")->status, 200);
  // The next hour starts a new count.
  sn.simulator().server().clock().Advance(absl::Seconds(retry));
  EXPECT_EQ(sn.Get(kIncidents)->status, 200);
}

TEST(RateLimitTest, UserRuleBeatsRoleRulesAndTheLowestRoleRuleWins) {
  TestServiceNow sn;
  SetRules(sn, {{{"type", "all"}, {"limit", 100}},
                {{"type", "role"}, {"role", "itil"}, {"limit", 50}},
                {{"type", "role"}, {"role", "audit_viewer"}, {"limit", 40}},
                {{"type", "user"}, {"user", "admin"}, {"limit", 1000}}});
  EXPECT_EQ(sn.Get(kIncidents, "ferry")->get_header_value("X-RateLimit-Limit"),
            "40");
  EXPECT_EQ(
      sn.Get(kIncidents, "itil_only")->get_header_value("X-RateLimit-Limit"),
      "50");
  EXPECT_EQ(sn.Get(kIncidents, "admin")->get_header_value("X-RateLimit-Limit"),
            "1000");
  EXPECT_EQ(sn.Get(kIncidents, "nobody")->get_header_value("X-RateLimit-Limit"),
            "100");
}

TEST(RateLimitTest, BadRulesAreRefusedNamingTheField) {
  TestServiceNow sn;
  httplib::Result bad = sn.client().Put(
      "/admin/servicenow/rate_limit_rules",
      R"({"rules":[{"type":"all","limit":5},{"type":"role","limit":5}]})",
      "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("rules[1].role"), std::string::npos) << bad->body;
  httplib::Result rules = sn.client().Get("/admin/servicenow/rate_limit_rules");
  EXPECT_EQ(Body(rules)["rules"].size(), 0u);
}

}  // namespace
}  // namespace ferry::servicenow_sim
