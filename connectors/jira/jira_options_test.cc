#include "connectors/jira/jira_options.h"

#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

TEST(JiraOptionsTest, DeploymentNames) {
  bool known = false;
  EXPECT_EQ(ParseDeployment("Cloud", &known), Deployment::kCloud);
  EXPECT_TRUE(known);
  EXPECT_EQ(ParseDeployment("server", &known), Deployment::kDataCenter);
  EXPECT_EQ(ParseDeployment("", &known), std::nullopt);
  EXPECT_TRUE(known);
  EXPECT_EQ(ParseDeployment("mainframe", &known), std::nullopt);
  EXPECT_FALSE(known);
}

TEST(JiraOptionsTest, AnUnknownDeploymentIsAProblemOfThatOption) {
  JiraOptions options;
  options.set_deployment("datacenter");
  EXPECT_TRUE(CheckJiraOptions(options).empty());
  options.set_deployment("mainframe");
  const std::vector<config::OptionProblem> problems = CheckJiraOptions(options);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].option, "deployment");
  EXPECT_NE(problems[0].message.find("'mainframe'"), std::string::npos);
  EXPECT_EQ(JiraOptionsSpec().check(options).size(), 1u);
}

TEST(JiraOptionsTest, AnEmptyTransitionFieldIsAProblemOfThatEntry) {
  JiraOptions options;
  (*options.mutable_transition_fields())["customfield_10012"] = "unknown";
  EXPECT_TRUE(CheckJiraOptions(options).empty());
  (*options.mutable_transition_fields())["resolution"] = "";
  const std::vector<config::OptionProblem> problems = CheckJiraOptions(options);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].option, "transition_fields.resolution");
}

}  // namespace
}  // namespace ferry::jira
