// The seed example in README.md loads, and means what the README says.
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tools/pagerduty_sim/seed.h"
#include "tools/simcore/testing/readme_example.h"

namespace ferry::pagerduty_sim {
namespace {

TEST(ReadmeExampleTest, SeedExampleLoads) {
  auto seed = simcore::ReadmeJsonExample("tools/pagerduty_sim/README.md", "## Seed format");
  ASSERT_TRUE(seed.ok()) << seed.status();
  auto state = StateFromSeed(*seed, absl::Now());
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->account.subdomain, "acme");
  EXPECT_EQ(state->users.size(), 2u);
  EXPECT_EQ(state->services.size(), 2u);
  EXPECT_EQ(state->tokens.size(), 2u);
  ASSERT_EQ(state->incidents.size(), 1u);
  EXPECT_EQ(state->incidents[0].title, "Checkout errors");
  EXPECT_EQ(state->incidents[0].status, "acknowledged");
}

}  // namespace
}  // namespace ferry::pagerduty_sim
