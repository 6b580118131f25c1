// Search: DC offset paging, Cloud token paging, the 410, JQL in the
// caller's time zone, index lag.
#include "gtest/gtest.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

std::vector<std::string> Keys(const json& page) {
  std::vector<std::string> keys;
  for (const json& issue : page["issues"]) keys.push_back(issue["key"]);
  return keys;
}

TEST(DataCenterSearchTest, OffsetPagingWithTotal) {
  TestJira jira(Dialect::kDataCenter);
  json first = Body(jira.Get(
      "/rest/api/2/search?jql=ORDER%20BY%20created%20ASC&startAt=0&maxResults=2"));
  EXPECT_EQ(first["total"], 3);
  EXPECT_EQ(first["startAt"], 0);
  EXPECT_EQ(first["maxResults"], 2);
  EXPECT_EQ(Keys(first), (std::vector<std::string>{"OPS-1", "OPS-2"}));
  EXPECT_TRUE(first["issues"][0]["fields"].contains("summary"));
  json second = Body(jira.Post("/rest/api/2/search",
                               {{"jql", "ORDER BY created ASC"},
                                {"startAt", 2},
                                {"maxResults", 2},
                                {"fields", {"summary"}}}));
  EXPECT_EQ(Keys(second), (std::vector<std::string>{"WEB-1"}));
  EXPECT_EQ(second["issues"][0]["fields"].size(), 1u);
}

TEST(DataCenterSearchTest, BadJqlIs400WithJirasMessage) {
  TestJira jira(Dialect::kDataCenter);
  auto res = jira.Get("/rest/api/2/search?jql=project%20%3D%20OPS%20AND");
  ASSERT_EQ(res->status, 400);
  EXPECT_EQ(Body(res)["errorMessages"][0],
            "Error in the JQL Query: Expecting a field name at the end of the query.");
  EXPECT_EQ(jira.Get("/rest/api/2/search/jql?jql=project%3DOPS")->status, 404);
}

TEST(DataCenterSearchTest, ViewerWithoutBrowseFindsNothing) {
  TestJira jira(Dialect::kDataCenter);
  auto res = jira.Post("/admin/jira/users",
                       {{"accountId", "blind"}, {"name", "blind"},
                        {"password", "blind-password"},
                        {"permissions", {{"browse", false}}}}, "");
  ASSERT_EQ(res->status, 201);
  json page = Body(jira.Get("/rest/api/2/search?jql=project%3DOPS", "blind"));
  EXPECT_EQ(page["total"], 0);
  EXPECT_EQ(jira.Get("/rest/api/2/issue/OPS-1", "blind")->status, 404);
}

TEST(DataCenterSearchTest, LiteralsAreInTheCallersZone) {
  // WEB-1 was updated 2024-05-02 09:45:30.123 UTC: 19:45 in Sydney (ferry),
  // 05:45 in New York (alice).
  TestJira jira(Dialect::kDataCenter);
  const std::string query =
      "/rest/api/2/search?jql=updated%20%3E%3D%20%222024-05-02%2019%3A45%22";
  EXPECT_EQ(Body(jira.Get(query, "ferry"))["total"], 1);
  EXPECT_EQ(Body(jira.Get(query, "alice"))["total"], 0);
  const std::string ny =
      "/rest/api/2/search?jql=updated%20%3E%3D%20%222024-05-02%2005%3A45%22";
  EXPECT_EQ(Body(jira.Get(ny, "alice"))["total"], 1);
  const std::string next_minute =
      "/rest/api/2/search?jql=updated%20%3E%3D%20%222024-05-02%2005%3A46%22";
  EXPECT_EQ(Body(jira.Get(next_minute, "alice"))["total"], 0);
  // 1714643130123 is the exact millisecond.
  EXPECT_EQ(Body(jira.Get("/rest/api/2/search?jql=updated%3E%3D1714643130123"))["total"], 1);
  EXPECT_EQ(Body(jira.Get("/rest/api/2/search?jql=updated%3E1714643130123"))["total"], 0);
}

TEST(DataCenterSearchTest, TargetLookupByCustomField) {
  TestJira jira(Dialect::kDataCenter);
  json page = Body(jira.Post("/rest/api/2/search",
                             {{"jql", "cf[10010] ~ \"PABC123\""}, {"fields", {"summary"}}}));
  EXPECT_EQ(Keys(page), (std::vector<std::string>{"OPS-1"}));
  json by_name = Body(jira.Post("/rest/api/2/search",
                                {{"jql", "\"PagerDuty Incident\" ~ PNOPE"}}));
  EXPECT_EQ(by_name["total"], 0);
}

TEST(CloudSearchTest, LegacySearchIsGone) {
  TestJira jira(Dialect::kCloud);
  auto res = jira.Get("/rest/api/3/search?jql=project%3DOPS");
  ASSERT_EQ(res->status, 410);
  EXPECT_EQ(Body(res)["errorMessages"][0],
            "The requested API has been removed. Please migrate to the "
            "/rest/api/3/search/jql API. A full migration guideline is "
            "available at https://developer.atlassian.com/changelog/#CHANGE-2046");
  EXPECT_EQ(jira.Post("/rest/api/2/search", {{"jql", "project = OPS"}})->status, 410);
}

TEST(CloudSearchTest, TokenPagingIdsOnlyNoTotal) {
  TestJira jira(Dialect::kCloud);
  json first = Body(jira.Get(
      "/rest/api/3/search/jql?jql=project%20in%20(OPS%2CWEB)%20ORDER%20BY%20key&maxResults=2"));
  EXPECT_FALSE(first.contains("total"));
  EXPECT_EQ(first["isLast"], false);
  EXPECT_EQ(first["issues"][0], json({{"id", "10000"}}));
  std::string token = first["nextPageToken"];
  json second = Body(jira.Post("/rest/api/3/search/jql",
                               {{"jql", "project in (OPS,WEB) ORDER BY key"},
                                {"maxResults", 2},
                                {"nextPageToken", token},
                                {"fields", {"summary"}}}));
  EXPECT_EQ(second["isLast"], true);
  EXPECT_FALSE(second.contains("nextPageToken"));
  EXPECT_EQ(Keys(second), (std::vector<std::string>{"WEB-1"}));
  EXPECT_EQ(second["issues"][0]["fields"]["summary"], "Checkout page slow");
}

TEST(CloudSearchTest, UnboundedQueryAndForeignTokenAreRefused) {
  TestJira jira(Dialect::kCloud);
  auto unbounded = jira.Post("/rest/api/3/search/jql", {{"jql", "order by key desc"}});
  ASSERT_EQ(unbounded->status, 400);
  EXPECT_EQ(Body(unbounded)["errorMessages"][0],
            "Unbounded JQL queries are not allowed here. Please add a search "
            "restriction to your query.");
  json first = Body(jira.Post("/rest/api/3/search/jql",
                              {{"jql", "project = OPS"}, {"maxResults", 1}}));
  auto other = jira.Post("/rest/api/3/search/jql",
                         {{"jql", "project = WEB"},
                          {"nextPageToken", first["nextPageToken"]}});
  EXPECT_EQ(other->status, 400);
}

TEST(CloudSearchTest, IndexLagHidesNewIssuesUntilReconciled) {
  TestJira jira(Dialect::kCloud);
  ASSERT_EQ(jira.Put("/admin/jira/index_lag", {{"milliseconds", 60000}}, "")->status, 200);
  json created = Body(jira.Post(
      "/rest/api/3/issue",
      {{"fields", {{"project", {{"key", "WEB"}}}, {"issuetype", {{"name", "Task"}}},
                   {"summary", "Fresh"}}}}));
  json lagging = Body(jira.Post("/rest/api/3/search/jql", {{"jql", "project = WEB"}}));
  EXPECT_EQ(lagging["issues"].size(), 1u);
  int64_t id = std::stoll(created["id"].get<std::string>());
  json reconciled = Body(jira.Post("/rest/api/3/search/jql",
                                   {{"jql", "project = WEB"}, {"reconcileIssues", {id}}}));
  EXPECT_EQ(reconciled["issues"].size(), 2u);
  jira.simulator().server().clock().Advance(absl::Minutes(1));
  json caught_up = Body(jira.Post("/rest/api/3/search/jql", {{"jql", "project = WEB"}}));
  EXPECT_EQ(caught_up["issues"].size(), 2u);
}

TEST(CloudSearchTest, IndexLagServesTheOldVersionOfAnEditedIssue) {
  TestJira jira(Dialect::kCloud);
  ASSERT_EQ(jira.Put("/admin/jira/index_lag", {{"milliseconds", 60000}}, "")->status, 200);
  ASSERT_EQ(jira.Put("/rest/api/3/issue/WEB-1",
                     {{"fields", {{"summary", "Checkout page fixed"}}}})->status,
            204);
  json query = {{"jql", "summary ~ fixed"}, {"fields", {"summary"}}};
  EXPECT_TRUE(Body(jira.Post("/rest/api/3/search/jql", query))["issues"].empty());
  json old = Body(jira.Post("/rest/api/3/search/jql",
                            {{"jql", "summary ~ slow"}, {"fields", {"summary"}}}));
  ASSERT_EQ(old["issues"].size(), 1u);
  // The index matched the old summary; the issue itself is current.
  EXPECT_EQ(old["issues"][0]["fields"]["summary"], "Checkout page fixed");
  jira.simulator().server().clock().Advance(absl::Minutes(1));
  EXPECT_EQ(Body(jira.Post("/rest/api/3/search/jql", query))["issues"].size(), 1u);
}

TEST(DataCenterSearchTest, AHeldIssueIsSearchedAsItWasUntilReleased) {
  TestJira jira(Dialect::kDataCenter);
  ASSERT_EQ(jira.Put("/admin/jira/issues/WEB-1/index_hold", {{"held", true}}, "")->status,
            200);
  ASSERT_EQ(jira.Put("/rest/api/2/issue/WEB-1",
                     {{"fields", {{"summary", "Checkout page fixed"}}}})->status,
            204);
  const std::string fixed = "/rest/api/2/search?jql=summary%20~%20fixed";
  EXPECT_TRUE(Body(jira.Get(fixed))["issues"].empty());
  ASSERT_EQ(jira.Put("/admin/jira/issues/WEB-1/index_hold", {{"held", false}}, "")->status,
            200);
  EXPECT_EQ(Keys(Body(jira.Get(fixed))), (std::vector<std::string>{"WEB-1"}));
  EXPECT_EQ(jira.Put("/admin/jira/issues/NOPE-1/index_hold", {{"held", true}}, "")->status,
            404);
  EXPECT_EQ(jira.Put("/admin/jira/issues/WEB-1/index_hold", {{"held", 1}}, "")->status,
            400);
}

TEST(CloudSearchTest, ApproximateCountAndExpandChangelog) {
  TestJira jira(Dialect::kCloud);
  EXPECT_EQ(Body(jira.Post("/rest/api/3/search/approximate-count",
                           {{"jql", "project = OPS"}}))["count"],
            2);
  ASSERT_EQ(jira.Put("/rest/api/3/issue/OPS-2", {{"fields", {{"summary", "x"}}}})->status, 204);
  json page = Body(jira.Post("/rest/api/3/search/jql",
                             {{"jql", "key = OPS-2"}, {"expand", "changelog"}}));
  EXPECT_EQ(page["issues"][0]["changelog"]["histories"].size(), 1u);
}

}  // namespace
}  // namespace ferry::jira_sim
