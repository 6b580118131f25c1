#include "engine/connector/connector_context.h"

#include <vector>

#include "gtest/gtest.h"
#include "http/testing/fake_clock.h"

namespace ferry::engine {
namespace {

using ::ferry::http::FakeClock;
using ::ferry::http::RateLimitBucket;
using ::ferry::http::RequestPriority;

ConnectorContext ContextOf(ferry::http::CredentialBudgets& budgets,
                           const char* credential_id) {
  ConnectorContext context;
  context.budgets = &budgets;
  context.credential_id = credential_id;
  return context;
}

TEST(ShareHttpResourcesTest, NoRateStillGivesABudgetThatFollowsTheServer) {
  FakeClock clock(FakeClock::Mode::kInstant);
  ferry::http::CredentialBudgets budgets(clock);
  ferry::http::HttpClientOptions options;
  ASSERT_TRUE(ShareHttpResources(ContextOf(budgets, "env:JIRA_TOKEN"),
                                 /*requests_per_minute=*/0, &options)
                  .ok());
  ASSERT_NE(options.budget, nullptr);
  // No pace of Ferry's own ...
  for (int i = 0; i < 1000; ++i) {
    options.budget->Acquire(RequestPriority::kLive);
    options.budget->Answered(std::nullopt);
  }
  EXPECT_TRUE(clock.sleeps().empty());
  // ... but Jira Data Center's bucket, once an answer reports it.
  options.budget->Acquire(RequestPriority::kLive);
  options.budget->Answered(RateLimitBucket{0, 10, /*per_second=*/2});
  options.budget->Acquire(RequestPriority::kLive);
  EXPECT_EQ(clock.sleeps(),
            std::vector<absl::Duration>{absl::Milliseconds(500)});
}

TEST(ShareHttpResourcesTest, UnpacedSystemsOfACredentialShareOneBudget) {
  FakeClock clock(FakeClock::Mode::kInstant);
  ferry::http::CredentialBudgets budgets(clock);
  ferry::http::HttpClientOptions first;
  ferry::http::HttpClientOptions second;
  const ConnectorContext context = ContextOf(budgets, "env:JIRA_TOKEN");
  ASSERT_TRUE(ShareHttpResources(context, 0, &first).ok());
  ASSERT_TRUE(ShareHttpResources(context, 0, &second).ok());
  ASSERT_NE(first.budget, nullptr);
  EXPECT_EQ(first.budget, second.budget);
}

TEST(ShareHttpResourcesTest, AnUnpacedAndAPacedSystemOfOneCredentialBothStart) {
  FakeClock clock(FakeClock::Mode::kInstant);
  ferry::http::CredentialBudgets budgets(clock);
  ferry::http::HttpClientOptions unpaced;
  ferry::http::HttpClientOptions paced;
  const ConnectorContext context = ContextOf(budgets, "env:JIRA_TOKEN");
  ASSERT_TRUE(ShareHttpResources(context, 0, &unpaced).ok());
  ASSERT_TRUE(ShareHttpResources(context, 600, &paced).ok());
  EXPECT_NE(unpaced.budget, paced.budget);
  EXPECT_EQ(paced.budget->options().requests_per_second, 10);
}

}  // namespace
}  // namespace ferry::engine
