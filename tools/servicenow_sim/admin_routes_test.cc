// The simulator's admin routes, and simcore's faults on the Table API.
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/testing/test_servicenow.h"

namespace ferry::servicenow_sim {
namespace {

httplib::Result AdminPost(TestServiceNow& sn, const std::string& path,
                          const nlohmann::json& body) {
  httplib::Result result =
      sn.client().Post(path, body.dump(), "application/json");
  EXPECT_TRUE(result);
  return result;
}

TEST(AdminRoutesTest, SeedAndReadRowsWithAllColumns) {
  TestServiceNow sn;
  httplib::Result seeded =
      AdminPost(sn, "/admin/servicenow/tables/incident/rows",
                {{"number", "INC0000042"}, {"priority", "1"}});
  ASSERT_EQ(seeded->status, 201) << seeded->body;
  EXPECT_EQ(Body(seeded)["result"]["priority"], "1");
  httplib::Result rows = sn.client().Get(
      "/admin/servicenow/tables/sys_user/rows?sysparm_query=user_name=ferry");
  ASSERT_EQ(rows->status, 200);
  ASSERT_EQ(Body(rows)["result"].size(), 1u);
  EXPECT_EQ(Body(rows)["result"][0]["user_password"], "ferry-password");
  EXPECT_EQ(AdminPost(sn, "/admin/servicenow/tables/incident/rows",
                      {{"bogus", "x"}})->status,
            400);
  EXPECT_EQ(AdminPost(sn, "/admin/servicenow/tables/nope/rows",
                      nlohmann::json::object())->status,
            404);
}

TEST(AdminRoutesTest, ActAsWritesAsThatUserWithoutCredentials) {
  TestServiceNow sn;
  httplib::Result created = AdminPost(
      sn, "/admin/servicenow/as/itil_only/api/now/table/incident",
      {{"short_description", "by hand"}});
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["result"]["sys_created_by"], "itil_only");
  EXPECT_EQ(AdminPost(sn, "/admin/servicenow/as/nobody/api/now/table/incident",
                      {{"short_description", "x"}})->status,
            403);
  EXPECT_EQ(AdminPost(sn, "/admin/servicenow/as/ghost/api/now/table/incident",
                      {{"short_description", "x"}})->status,
            404);
}

TEST(AdminRoutesTest, AuditSwitch) {
  TestServiceNow sn;
  httplib::Result off = sn.client().Put(
      "/admin/servicenow/tables/incident/audit", R"({"audit":false})",
      "application/json");
  ASSERT_TRUE(off);
  EXPECT_EQ(off->status, 200);
  EXPECT_FALSE(sn.simulator().store().Read([](const Tables& tables) {
    return tables.Schema("incident")->audited;
  }));
  httplib::Result bad = sn.client().Put(
      "/admin/servicenow/tables/incident/audit", R"({"audit":"no"})",
      "application/json");
  EXPECT_EQ(bad->status, 400);
}

TEST(AdminRoutesTest, FaultsApplyToTheTableApi) {
  TestServiceNow sn;
  ASSERT_EQ(AdminPost(sn, "/admin/faults",
                      {{"kind", "status"},
                       {"status", 503},
                       {"count", 1},
                       {"path_prefix", "/api/now/table/incident"}})
                ->status,
            201);
  EXPECT_EQ(sn.Get("/api/now/table/incident")->status, 503);
  EXPECT_EQ(sn.Get("/api/now/table/incident")->status, 200);
}

}  // namespace
}  // namespace ferry::servicenow_sim
