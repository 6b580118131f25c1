// Rate-limit headers per dialect and fault injection, through HTTP.
#include <regex>

#include "gtest/gtest.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

TEST(DataCenterRateLimitTest, TokenBucketHeadersAnd429) {
  TestJira jira(Dialect::kDataCenter);
  ASSERT_TRUE(jira.simulator().server().rate_limiter().SetLimits(
      {2, absl::Seconds(10)}));
  auto first = jira.Get("/rest/api/2/myself");
  ASSERT_EQ(first->status, 200);
  EXPECT_EQ(first->get_header_value("X-RateLimit-Limit"), "2");
  EXPECT_EQ(first->get_header_value("X-RateLimit-Remaining"), "1");
  EXPECT_EQ(first->get_header_value("X-RateLimit-Interval-Seconds"), "10");
  EXPECT_EQ(first->get_header_value("X-RateLimit-FillRate"), "2");
  EXPECT_EQ(first->get_header_value("retry-after"), "0");
  ASSERT_EQ(jira.Get("/rest/api/2/myself")->status, 200);
  auto limited = jira.Get("/rest/api/2/myself");
  ASSERT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("X-RateLimit-Remaining"), "0");
  EXPECT_GT(std::stoi(limited->get_header_value("retry-after")), 0);
  EXPECT_TRUE(Body(limited)["errorMessages"].is_array());
  // Another user has their own bucket; PATs are not rate limited on DC.
  EXPECT_EQ(jira.Get("/rest/api/2/myself", "alice")->status, 200);
  auto pat = jira.GetWithAuthorization("/rest/api/2/myself", "Bearer ferry-pat");
  EXPECT_EQ(pat->status, 200);
  EXPECT_FALSE(pat->has_header("X-RateLimit-Limit"));
  jira.simulator().server().clock().Advance(absl::Seconds(10));
  EXPECT_EQ(jira.Get("/rest/api/2/myself")->status, 200);
}

TEST(CloudRateLimitTest, RetryAfterAndResetHeaders) {
  TestJira jira(Dialect::kCloud);
  ASSERT_TRUE(jira.simulator().server().rate_limiter().SetLimits(
      {1, absl::Seconds(30)}));
  auto ok = jira.Get("/rest/api/3/myself");
  ASSERT_EQ(ok->status, 200);
  EXPECT_FALSE(ok->has_header("X-RateLimit-FillRate"));
  auto limited = jira.Get("/rest/api/3/myself");
  ASSERT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "30");
  EXPECT_EQ(limited->get_header_value("X-RateLimit-Limit"), "1");
  EXPECT_EQ(limited->get_header_value("X-RateLimit-Remaining"), "0");
  EXPECT_EQ(limited->get_header_value("RateLimit-Reason"), "jira-burst-based");
  EXPECT_TRUE(std::regex_match(limited->get_header_value("X-RateLimit-Reset"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\dZ)")));
}

TEST(FaultInjectionTest, AdminFaultsApplyToTheRestApi) {
  TestJira jira(Dialect::kDataCenter);
  auto added = jira.Post("/admin/faults",
                         {{"kind", "status"}, {"status", 503},
                          {"path_prefix", "/rest/api/2/issue"}, {"count", 1},
                          {"body", {{"errorMessages", {"down"}}}}},
                         "");
  ASSERT_EQ(added->status, 201) << added->body;
  auto faulted = jira.Get("/rest/api/2/issue/OPS-1");
  EXPECT_EQ(faulted->status, 503);
  EXPECT_EQ(jira.Get("/rest/api/2/issue/OPS-1")->status, 200);
}

}  // namespace
}  // namespace ferry::jira_sim
