// The fixture example in README.md loads, and means what the README says.
#include "gtest/gtest.h"
#include "tools/jira_sim/fixture.h"
#include "tools/simcore/testing/readme_example.h"

namespace ferry::jira_sim {
namespace {

TEST(ReadmeExampleTest, FixtureExampleLoads) {
  auto fixture = simcore::ReadmeJsonExample("tools/jira_sim/README.md", "## Fixture format");
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  auto state = StateFromFixture(*fixture);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->users.size(), 2u);
  ASSERT_EQ(state->issues.size(), 1u);
  const Issue& issue = state->issues.begin()->second;
  EXPECT_EQ(issue.comments.size(), 1u);
  EXPECT_EQ(issue.properties.count("ferry.origin"), 1u);
}

}  // namespace
}  // namespace ferry::jira_sim
