#include "tools/jira_sim/fixture.h"

#include "gtest/gtest.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

json Minimal() {
  return {{"users", {{{"accountId", "u1"}, {"name", "u"}}}},
          {"statuses", {{{"id", "1"}, {"name", "Open"}}}},
          {"issueTypes", {{{"id", "1"}, {"name", "Bug"}}}},
          {"workflows", {{{"name", "w"}, {"initialStatus", "1"}}}},
          {"projects", {{{"id", "1"}, {"key", "ONE"}, {"name", "One"},
                         {"issueTypes", {"1"}}, {"workflow", "w"}}}}};
}

std::string Error(const json& fixture) {
  absl::StatusOr<State> state = StateFromFixture(fixture);
  EXPECT_FALSE(state.ok());
  return state.ok() ? "" : std::string(state.status().message());
}

TEST(FixtureTest, LoadsTheTestFixture) {
  absl::StatusOr<State> state =
      StateFromFixtureFile("tools/jira_sim/testdata/fixture.json");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->users.size(), 3u);
  EXPECT_EQ(state->issues.size(), 3u);
  const Issue* ops1 = FindIssue(*state, "OPS-1");
  ASSERT_NE(ops1, nullptr);
  EXPECT_EQ(ops1->comments.size(), 1u);
  EXPECT_EQ(ops1->comments[0].author_id, "5b10a2844c20165700ede21g");
  EXPECT_EQ(ops1->updated, *ParseJiraTime("2024-05-01T00:15:00.000+0000"));
  EXPECT_EQ(FindIssue(*state, "WEB-1")->status_id, "3");
  EXPECT_TRUE(state->users[2].permissions.browse);
  EXPECT_FALSE(state->users[2].permissions.edit);
}

TEST(FixtureTest, ParsesJiraTimestamps) {
  absl::StatusOr<absl::Time> t = ParseJiraTime("2024-05-01T10:15:30.123+1000");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(absl::ToUnixMillis(*t), 1714522530123);
  EXPECT_EQ(*ParseJiraTime("2024-05-01T00:15:30.123Z"), *t);
  EXPECT_EQ(*ParseJiraTime("2024-05-01T00:15:30.123+00:00"), *t);
  EXPECT_FALSE(ParseJiraTime("2024-05-01 00:15").ok());
}

TEST(FixtureTest, ErrorsNameTheEntryAndTheFix) {
  json bad_zone = Minimal();
  bad_zone["users"][0]["timeZone"] = "Mars/Base";
  EXPECT_EQ(Error(bad_zone),
            "fixture user u1: timeZone 'Mars/Base' is not an IANA zone like "
            "Australia/Sydney");
  json bad_workflow = Minimal();
  bad_workflow["workflows"][0]["transitions"] = {
      {{"id", "1"}, {"name", "Go"}, {"to", "9"}}};
  EXPECT_EQ(Error(bad_workflow),
            "fixture workflow w transition Go: 'to' must be a status id");
  json bad_issue = Minimal();
  bad_issue["issues"] = {{{"project", "ONE"}, {"issueType", "Bug"},
                          {"summary", "s"}, {"reporter", "nobody"},
                          {"created", "2024-05-01T00:00:00.000+0000"}}};
  EXPECT_EQ(Error(bad_issue),
            "fixture issue 's': reporter must be the accountId of a fixture user");
  json bad_field = Minimal();
  bad_field["customFields"] = {{{"id", "cf10"}, {"name", "X"}}};
  EXPECT_EQ(Error(bad_field),
            "fixture custom field cf10: ids look like customfield_10010");
}

}  // namespace
}  // namespace ferry::jira_sim
