// serverInfo, myself, field, priority, status, project and createmeta.
#include <regex>

#include "gtest/gtest.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

TEST(MetaHandlersTest, ServerInfoPerDialect) {
  TestJira dc(Dialect::kDataCenter);
  json info = Body(dc.Get("/rest/api/2/serverInfo"));
  EXPECT_EQ(info["deploymentType"], "Server");
  EXPECT_EQ(info["versionNumbers"], json({9, 12, 0}));
  EXPECT_TRUE(std::regex_match(info["serverTime"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4})")));
  TestJira cloud(Dialect::kCloud);
  EXPECT_EQ(Body(cloud.Get("/rest/api/3/serverInfo"))["deploymentType"], "Cloud");
}

TEST(MetaHandlersTest, MyPermissionsPerUser) {
  TestJira dc(Dialect::kDataCenter);
  const std::string path =
      "/rest/api/2/mypermissions?projectKey=OPS&permissions=BROWSE_PROJECTS,EDIT_ISSUES";
  json ferry = Body(dc.Get(path));
  EXPECT_EQ(ferry["permissions"]["BROWSE_PROJECTS"]["havePermission"], true);
  EXPECT_EQ(ferry["permissions"]["EDIT_ISSUES"]["havePermission"], true);
  json viewer = Body(dc.Get(path, "viewer"));
  EXPECT_EQ(viewer["permissions"]["BROWSE_PROJECTS"]["havePermission"], true);
  EXPECT_EQ(viewer["permissions"]["EDIT_ISSUES"]["havePermission"], false);
  EXPECT_EQ(dc.Get("/rest/api/2/mypermissions?projectKey=NOPE&permissions=EDIT_ISSUES")->status, 404);
  EXPECT_EQ(dc.Get("/rest/api/2/mypermissions?projectKey=OPS")->status, 400);
}

TEST(MetaHandlersTest, MyselfCarriesTimeZoneAndDialectIdentity) {
  TestJira dc(Dialect::kDataCenter);
  json me = Body(dc.Get("/rest/api/2/myself"));
  EXPECT_EQ(me["timeZone"], "Australia/Sydney");
  EXPECT_EQ(me["key"], "JIRAUSER10000");
  EXPECT_FALSE(me.contains("accountId"));
  TestJira cloud(Dialect::kCloud);
  json cloud_me = Body(cloud.Get("/rest/api/3/myself", "alice"));
  EXPECT_EQ(cloud_me["timeZone"], "America/New_York");
  EXPECT_EQ(cloud_me["accountType"], "atlassian");
  EXPECT_FALSE(cloud_me.contains("name"));
}

TEST(MetaHandlersTest, UsersByAccountIdOnCloudAndByNameOnDataCenter) {
  TestJira cloud(Dialect::kCloud);
  json alice = Body(cloud.Get("/rest/api/3/user?accountId=5b10a2844c20165700ede21g"));
  EXPECT_EQ(alice["displayName"], "Alice Operator");
  EXPECT_EQ(cloud.Get("/rest/api/3/user?username=alice")->status, 404);
  TestJira dc(Dialect::kDataCenter);
  EXPECT_EQ(Body(dc.Get("/rest/api/2/user?username=alice"))["key"], "JIRAUSER10001");
  EXPECT_EQ(Body(dc.Get("/rest/api/2/user?key=JIRAUSER10001"))["name"], "alice");
  auto missing = dc.Get("/rest/api/2/user?username=bob");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(Body(missing)["errorMessages"][0], "The user named 'bob' does not exist");
}

TEST(MetaHandlersTest, FieldsHaveClauseNames) {
  TestJira jira(Dialect::kDataCenter);
  json fields = Body(jira.Get("/rest/api/2/field"));
  bool summary = false, custom = false;
  for (const json& f : fields) {
    if (f["id"] == "summary") summary = f["clauseNames"] == json({"summary"});
    if (f["id"] == "customfield_10010") {
      custom = f["custom"] == true &&
               f["clauseNames"] == json({"cf[10010]", "PagerDuty Incident"});
    }
  }
  EXPECT_TRUE(summary);
  EXPECT_TRUE(custom);
}

TEST(MetaHandlersTest, PrioritiesAndStatuses) {
  TestJira jira(Dialect::kDataCenter);
  json priorities = Body(jira.Get("/rest/api/2/priority"));
  ASSERT_EQ(priorities.size(), 5u);
  EXPECT_EQ(priorities[0]["name"], "Highest");
  json status = Body(jira.Get("/rest/api/2/status/Acknowledged"));
  EXPECT_EQ(status["id"], "10000");
  EXPECT_EQ(status["statusCategory"]["key"], "indeterminate");
  EXPECT_EQ(status["statusCategory"]["id"], 4);
  EXPECT_EQ(jira.Get("/rest/api/2/status/Nope")->status, 404);
}

TEST(MetaHandlersTest, IssueTypeById) {
  TestJira jira(Dialect::kCloud);
  EXPECT_EQ(Body(jira.Get("/rest/api/3/issuetype/10002"))["name"], "Incident");
  EXPECT_EQ(jira.Get("/rest/api/3/issuetype/99")->status, 404);
}

TEST(MetaHandlersTest, ProjectsWithIssueTypes) {
  TestJira jira(Dialect::kDataCenter);
  json ops = Body(jira.Get("/rest/api/2/project/ops"));
  EXPECT_EQ(ops["key"], "OPS");
  ASSERT_EQ(ops["issueTypes"].size(), 2u);
  EXPECT_EQ(ops["issueTypes"][1]["name"], "Incident");
  json list = Body(jira.Get("/rest/api/2/project"));
  ASSERT_EQ(list.size(), 3u);  // OPS, WEB, TRI
  EXPECT_FALSE(list[0].contains("issueTypes"));
  json expanded = Body(jira.Get("/rest/api/2/project?expand=issueTypes"));
  EXPECT_TRUE(expanded[0].contains("issueTypes"));
  auto missing = jira.Get("/rest/api/2/project/NOPE");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(Body(missing)["errorMessages"][0],
            "No project could be found with key 'NOPE'.");
}

TEST(MetaHandlersTest, ProjectStatusesFollowTheWorkflow) {
  TestJira jira(Dialect::kDataCenter);
  json types = Body(jira.Get("/rest/api/2/project/OPS/statuses"));
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[1]["name"], "Incident");
  EXPECT_EQ(types[1]["statuses"].size(), 4u);
  EXPECT_EQ(types[0]["statuses"].size(), 3u);  // Task: simple workflow
}

TEST(MetaHandlersTest, OldCreateMetaWithFields) {
  TestJira jira(Dialect::kDataCenter);
  json meta = Body(jira.Get(
      "/rest/api/2/issue/createmeta?projectKeys=OPS&expand=projects.issuetypes.fields"));
  ASSERT_EQ(meta["projects"].size(), 1u);
  json fields = meta["projects"][0]["issuetypes"][0]["fields"];
  EXPECT_EQ(fields["summary"]["required"], true);
  EXPECT_EQ(fields["description"]["required"], false);
  EXPECT_EQ(fields["priority"]["allowedValues"].size(), 5u);
  EXPECT_TRUE(fields.contains("customfield_10010"));
}

TEST(MetaHandlersTest, PerProjectCreateMetaListNamesDifferByDialect) {
  TestJira cloud(Dialect::kCloud);
  json types = Body(cloud.Get("/rest/api/3/issue/createmeta/OPS/issuetypes"));
  EXPECT_EQ(types["issueTypes"].size(), 2u);
  json fields =
      Body(cloud.Get("/rest/api/3/issue/createmeta/OPS/issuetypes/10002"));
  EXPECT_EQ(fields["fields"][0]["fieldId"], "project");
  TestJira dc(Dialect::kDataCenter);
  EXPECT_EQ(Body(dc.Get("/rest/api/2/issue/createmeta/OPS/issuetypes"))["values"].size(),
            2u);
  EXPECT_EQ(dc.Get("/rest/api/2/issue/createmeta/WEB/issuetypes/10002")->status, 404);
}

}  // namespace
}  // namespace ferry::jira_sim
