#include "http/credential_budgets.h"

#include "http/testing/fake_clock.h"
#include "gtest/gtest.h"

namespace ferry::http {
namespace {

constexpr TokenBucketOptions kPagerDuty = {16, 16};

TEST(CredentialBudgetsTest, OneBucketPerCredentialId) {
  FakeClock clock(FakeClock::Mode::kInstant);
  CredentialBudgets budgets(clock);
  auto first = budgets.ForCredential("env:PD_TOKEN", kPagerDuty);
  auto again = budgets.ForCredential("env:PD_TOKEN", kPagerDuty);
  auto other = budgets.ForCredential("env:JIRA_TOKEN", kPagerDuty);
  ASSERT_TRUE(first.ok() && again.ok() && other.ok());
  EXPECT_EQ(first->get(), again->get());
  EXPECT_NE(first->get(), other->get());
}

TEST(CredentialBudgetsTest, SharedBucketIsSpentByEveryUser) {
  FakeClock clock(FakeClock::Mode::kInstant);
  CredentialBudgets budgets(clock);
  auto integration_a = budgets.ForCredential("pd", {1, 1});
  auto integration_b = budgets.ForCredential("pd", {1, 1});
  ASSERT_TRUE(integration_a.ok() && integration_b.ok());
  (*integration_a)->Acquire(RequestPriority::kLive);
  (*integration_b)->Acquire(RequestPriority::kLive);
  EXPECT_EQ(clock.sleeps(), std::vector<absl::Duration>{absl::Seconds(1)});
}

TEST(CredentialBudgetsTest, ConflictingOptionsNameTheCredential) {
  CredentialBudgets budgets;
  ASSERT_TRUE(budgets.ForCredential("env:PD_TOKEN", kPagerDuty).ok());
  const auto conflict = budgets.ForCredential("env:PD_TOKEN", {8, 8});
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(conflict.status().message(),
            "credential env:PD_TOKEN already has a budget of 16 requests/s "
            "(burst 16); asked for 8 requests/s (burst 8): give every system "
            "that shares this token the same rate limit");
}

TEST(CredentialBudgetsTest, RejectsEmptyIdAndNonPositiveRates) {
  CredentialBudgets budgets;
  EXPECT_EQ(budgets.ForCredential("", kPagerDuty).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(budgets.ForCredential("pd", {0, 16}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(budgets.ForCredential("pd", {16, 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ferry::http
