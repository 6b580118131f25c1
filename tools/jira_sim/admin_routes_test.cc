// The Jira admin API: acting as a user, adding users, replacing the
// fixture, the index lag knob.
#include "gtest/gtest.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

TEST(AdminRoutesTest, ActAsAHumanWithoutCredentials) {
  TestJira jira(Dialect::kCloud);
  auto res = jira.Post("/admin/jira/as/alice/rest/api/2/issue/OPS-1/comment",
                       {{"body", "Looking now."}}, "");
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(Body(res)["author"]["accountId"], "5b10a2844c20165700ede21g");
  auto edit = jira.Put("/admin/jira/as/5b10a0effa615349cb016cd8/rest/api/3/issue/OPS-1",
                       {{"fields", {{"summary", "x"}}}}, "");
  EXPECT_EQ(edit->status, 403);  // the viewer's rights still apply
  EXPECT_EQ(jira.Get("/admin/jira/as/nobody/rest/api/3/myself", "")->status, 404);
}

TEST(AdminRoutesTest, AddedUsersCanAuthenticate) {
  TestJira jira(Dialect::kDataCenter);
  json user = {{"accountId", "bob-1"}, {"name", "bob"}, {"password", "bob-password"},
               {"timeZone", "Europe/Berlin"}};
  ASSERT_EQ(jira.Post("/admin/jira/users", user, "")->status, 201);
  EXPECT_EQ(jira.Post("/admin/jira/users", user, "")->status, 409);
  EXPECT_EQ(Body(jira.Get("/rest/api/2/myself", "bob"))["timeZone"], "Europe/Berlin");
  auto bad = jira.Post("/admin/jira/users",
                       {{"accountId", "x"}, {"timeZone", "Mars/Olympus"}}, "");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(Body(bad)["error"].get<std::string>().find("Mars/Olympus"), std::string::npos);
}

TEST(AdminRoutesTest, FixtureReplacesState) {
  TestJira jira(Dialect::kDataCenter);
  json fixture = {
      {"users", {{{"accountId", "u1"}, {"name", "solo"}, {"password", "solo-password"}}}},
      {"statuses", {{{"id", "1"}, {"name", "Open"}}}},
      {"issueTypes", {{{"id", "1"}, {"name", "Bug"}}}},
      {"workflows", {{{"name", "w"}, {"initialStatus", "1"}}}},
      {"projects", {{{"id", "1"}, {"key", "ONE"}, {"name", "One"},
                     {"issueTypes", {"1"}}, {"workflow", "w"}}}}};
  ASSERT_EQ(jira.Put("/admin/jira/fixture", fixture, "")->status, 200);
  EXPECT_EQ(jira.Get("/rest/api/2/myself", "ferry")->status, 401);
  json projects = Body(jira.Get("/rest/api/2/project", "solo"));
  ASSERT_EQ(projects.size(), 1u);
  EXPECT_EQ(projects[0]["key"], "ONE");
  fixture["projects"][0]["workflow"] = "missing";
  auto bad = jira.Put("/admin/jira/fixture", fixture, "");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(Body(bad)["error"].get<std::string>().find("workflow 'missing'"),
            std::string::npos);
}

TEST(AdminRoutesTest, IndexLagKnob) {
  TestJira jira(Dialect::kCloud);
  EXPECT_EQ(Body(jira.Get("/admin/jira/index_lag", ""))["milliseconds"], 0);
  EXPECT_EQ(jira.Put("/admin/jira/index_lag", {{"milliseconds", -1}}, "")->status, 400);
  EXPECT_EQ(Body(jira.Put("/admin/jira/index_lag", {{"milliseconds", 5000}}, ""))
                ["milliseconds"],
            5000);
}

}  // namespace
}  // namespace ferry::jira_sim
