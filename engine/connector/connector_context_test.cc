#include "engine/connector/connector_context.h"

#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "http/testing/fake_clock.h"

namespace ferry::engine {
namespace {

using ::ferry::http::FakeClock;
using ::ferry::http::RateLimitBucket;
using ::ferry::http::RequestPriority;

// A registry on a fake clock, and the context of a system whose credential
// is env:JIRA_TOKEN.
class ShareHttpResourcesTest : public ::testing::Test {
 protected:
  ShareHttpResourcesTest() {
    context_.budgets = &budgets_;
    context_.credential_id = "env:JIRA_TOKEN";
  }

  // The budget ShareHttpResources gives a system of `requests_per_minute`.
  std::shared_ptr<ferry::http::TokenBucket> BudgetOf(
      double requests_per_minute) {
    ferry::http::HttpClientOptions options;
    EXPECT_TRUE(
        ShareHttpResources(context_, requests_per_minute, &options).ok());
    return options.budget;
  }

  FakeClock clock_{FakeClock::Mode::kInstant};
  ferry::http::CredentialBudgets budgets_{clock_};
  ConnectorContext context_;
};

TEST_F(ShareHttpResourcesTest, NoRateStillGivesABudgetThatFollowsTheServer) {
  const std::shared_ptr<ferry::http::TokenBucket> budget = BudgetOf(0);
  ASSERT_NE(budget, nullptr);
  // No pace of Ferry's own ...
  for (int i = 0; i < 1000; ++i) {
    budget->Acquire(RequestPriority::kLive);
    budget->Answered(std::nullopt);
  }
  EXPECT_TRUE(clock_.sleeps().empty());
  // ... but Jira Data Center's bucket, once an answer reports it.
  budget->Acquire(RequestPriority::kLive);
  budget->Answered(RateLimitBucket{0, 10, /*per_second=*/2});
  budget->Acquire(RequestPriority::kLive);
  EXPECT_EQ(clock_.sleeps(),
            std::vector<absl::Duration>{absl::Milliseconds(500)});
}

TEST_F(ShareHttpResourcesTest, UnpacedSystemsOfACredentialShareOneBudget) {
  const std::shared_ptr<ferry::http::TokenBucket> first = BudgetOf(0);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first, BudgetOf(0));
}

TEST_F(ShareHttpResourcesTest,
       AnUnpacedAndAPacedSystemOfOneCredentialBothStart) {
  const std::shared_ptr<ferry::http::TokenBucket> unpaced = BudgetOf(0);
  const std::shared_ptr<ferry::http::TokenBucket> paced = BudgetOf(600);
  ASSERT_NE(paced, nullptr);
  EXPECT_NE(unpaced, paced);
  EXPECT_EQ(paced->options().requests_per_second, 10);
}

}  // namespace
}  // namespace ferry::engine
