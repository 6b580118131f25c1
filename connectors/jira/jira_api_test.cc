#include "connectors/jira/jira_api.h"

#include "connectors/jira/testing/simulated_jira.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using jira_sim::Dialect;
using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class JiraApiTest : public ::testing::TestWithParam<Dialect> {
 protected:
  JiraApiTest() : jira_(GetParam()) {}
  SimulatedJira jira_;
};

TEST_P(JiraApiTest, DetectsTheDeploymentFromServerInfo) {
  auto deployment = jira_.api().GetDeployment();
  ASSERT_TRUE(deployment.ok()) << deployment.status();
  EXPECT_EQ(*deployment,
            jira_.cloud() ? Deployment::kCloud : Deployment::kDataCenter);
  EXPECT_EQ(*jira_.api().ApiPrefix(), jira_.cloud() ? "/rest/api/3" : "/rest/api/2");
}

TEST_P(JiraApiTest, SearchPagesThroughEveryMatch) {
  SearchRequest request;
  request.jql = "project = OPS ORDER BY key ASC";
  request.fields = {"summary"};
  request.page_size = 1;
  auto all = jira_.api().Search(request);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->issues.size(), 2u);
  EXPECT_FALSE(all->truncated);
  EXPECT_EQ(all->issues[0]["key"], "OPS-1");
  EXPECT_EQ(all->issues[1]["fields"]["summary"], "Rotate backup keys");

  request.max_issues = 1;
  auto first = jira_.api().Search(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->issues.size(), 1u);
  EXPECT_TRUE(first->truncated);
}

TEST_P(JiraApiTest, JiraErrorsNameTheField) {
  auto created = jira_.api().Post(
      "/issue", {{"fields", {{"project", {{"key", "OPS"}}},
                             {"issuetype", {{"name", "Task"}}},
                             {"summary", "x"},
                             {"priority", {{"name", "P9"}}}}}});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(created.status().message(), HasSubstr("jira POST /rest/api/"));
  EXPECT_THAT(created.status().message(), HasSubstr("HTTP 400: priority: "));
  EXPECT_THAT(std::string(created.status().message()), Not(HasSubstr(jira_.token())));

  auto missing = jira_.api().Get("/issue/OPS-999");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("HTTP 404: "));
}

TEST_P(JiraApiTest, ABadQueryIsJirasOwnMessage) {
  SearchRequest request;
  request.jql = "project = OPS AND reporter = currentUser()";
  auto found = jira_.api().Search(request);
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(found.status().message(), HasSubstr("/search"));
}

TEST(JiraApiStaticTest, QuotingAndEscaping) {
  EXPECT_EQ(JiraApi::QuoteJql(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(JiraApi::EscapePath("ferry.origin"), "ferry.origin");
  EXPECT_EQ(JiraApi::EscapePath("a b/c?"), "a%20b%2fc%3f");
}

INSTANTIATE_TEST_SUITE_P(BothDeployments, JiraApiTest, BothDialects(), DialectName);

}  // namespace
}  // namespace ferry::jira
