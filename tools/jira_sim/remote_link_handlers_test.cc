// Remote links (globalId upsert) and issue properties through HTTP.
#include "gtest/gtest.h"
#include "tools/jira_sim/remote_link_ops.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

json Link(const std::string& title) {
  return {{"globalId", "system=pd&id=PABC123"},
          {"application", {{"type", "com.pagerduty"}, {"name", "PagerDuty"}}},
          {"object", {{"url", "https://pd.example/incidents/PABC123"},
                      {"title", title}}}};
}

TEST(RemoteLinkHandlersTest, GlobalIdUpserts) {
  TestJira jira(Dialect::kDataCenter);
  auto created = jira.Post("/rest/api/2/issue/OPS-1/remotelink", Link("PABC123"));
  ASSERT_EQ(created->status, 201) << created->body;
  json ref = Body(created);
  auto updated = jira.Post("/rest/api/2/issue/OPS-1/remotelink", Link("PABC123 resolved"));
  ASSERT_EQ(updated->status, 200);
  EXPECT_EQ(Body(updated)["id"], ref["id"]);
  json all = Body(jira.Get("/rest/api/2/issue/OPS-1/remotelink"));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["object"]["title"], "PABC123 resolved");
  json one = Body(jira.Get(
      "/rest/api/2/issue/OPS-1/remotelink?globalId=system%3Dpd%26id%3DPABC123"));
  EXPECT_EQ(one["id"], ref["id"]);
  EXPECT_EQ(one["application"]["name"], "PagerDuty");
}

TEST(RemoteLinkHandlersTest, WithoutGlobalIdEachPostCreates) {
  TestJira jira(Dialect::kDataCenter);
  json link = Link("x");
  link.erase("globalId");
  ASSERT_EQ(jira.Post("/rest/api/2/issue/OPS-1/remotelink", link)->status, 201);
  ASSERT_EQ(jira.Post("/rest/api/2/issue/OPS-1/remotelink", link)->status, 201);
  EXPECT_EQ(Body(jira.Get("/rest/api/2/issue/OPS-1/remotelink")).size(), 2u);
}

TEST(RemoteLinkHandlersTest, GlobalIdLongerThan255CharactersIsRefused) {
  TestJira jira(Dialect::kCloud);
  json link = Link("long");
  link["globalId"] = std::string(kMaxGlobalIdLength, 'g');
  ASSERT_EQ(jira.Post("/rest/api/3/issue/OPS-1/remotelink", link)->status, 201);
  link["globalId"] = std::string(kMaxGlobalIdLength + 1, 'g');
  auto refused = jira.Post("/rest/api/3/issue/OPS-1/remotelink", link);
  ASSERT_EQ(refused->status, 400);
  EXPECT_TRUE(Body(refused)["errors"].contains("globalId")) << refused->body;
  EXPECT_EQ(Body(jira.Get("/rest/api/3/issue/OPS-1/remotelink")).size(), 1u);
}

TEST(RemoteLinkHandlersTest, ByIdUpdateAndDelete) {
  TestJira jira(Dialect::kDataCenter);
  json ref = Body(jira.Post("/rest/api/2/issue/OPS-1/remotelink", Link("a")));
  std::string path = "/rest/api/2/issue/OPS-1/remotelink/" + ref["id"].dump();
  EXPECT_EQ(Body(jira.Get(path))["object"]["title"], "a");
  EXPECT_EQ(jira.Put(path, Link("b"))->status, 204);
  EXPECT_EQ(Body(jira.Get(path))["object"]["title"], "b");
  EXPECT_EQ(jira.Delete(path)->status, 204);
  EXPECT_EQ(jira.Get(path)->status, 404);
  jira.Post("/rest/api/2/issue/OPS-1/remotelink", Link("c"));
  EXPECT_EQ(jira.Delete("/rest/api/2/issue/OPS-1/remotelink?globalId=system%3Dpd%26id%3DPABC123")
                ->status,
            204);
  EXPECT_EQ(jira.Get("/rest/api/2/issue/OPS-1/remotelink?globalId=system%3Dpd%26id%3DPABC123")
                ->status,
            404);
}

TEST(RemoteLinkHandlersTest, Validation) {
  TestJira jira(Dialect::kDataCenter);
  json no_title = Link("x");
  no_title["object"].erase("title");
  auto res = jira.Post("/rest/api/2/issue/OPS-1/remotelink", no_title);
  ASSERT_EQ(res->status, 400);
  EXPECT_TRUE(Body(res)["errors"].contains("title"));
  EXPECT_EQ(jira.Post("/rest/api/2/issue/OPS-1/remotelink", Link("x"), "viewer")->status,
            403);
}

TEST(IssuePropertyHandlersTest, SetGetListDelete) {
  TestJira jira(Dialect::kCloud);
  const std::string path = "/rest/api/3/issue/OPS-1/properties/ferry.sync";
  EXPECT_EQ(jira.Put(path, {{"incident", "PABC123"}})->status, 201);
  EXPECT_EQ(jira.Put(path, {{"incident", "PABC124"}})->status, 200);
  json property = Body(jira.Get(path));
  EXPECT_EQ(property, json::parse(R"({"key":"ferry.sync","value":{"incident":"PABC124"}})"));
  json keys = Body(jira.Get("/rest/api/3/issue/OPS-1/properties"));
  ASSERT_EQ(keys["keys"].size(), 1u);
  EXPECT_EQ(keys["keys"][0]["key"], "ferry.sync");
  EXPECT_EQ(jira.Put(path, {{"x", 1}}, "viewer")->status, 403);
  EXPECT_EQ(jira.Delete(path)->status, 204);
  auto gone = jira.Get(path);
  EXPECT_EQ(gone->status, 404);
  EXPECT_EQ(Body(gone)["errorMessages"][0],
            "The property with key 'ferry.sync' does not exist.");
}

}  // namespace
}  // namespace ferry::jira_sim
