// Lookup endpoints: priorities, services, teams, members, users, abilities.
#include <algorithm>

#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty_sim {
namespace {

using DirectoryTest = SimFixture;

TEST_F(DirectoryTest, PrioritiesInSeverityOrder) {
  auto body = Body(Get("/priorities"));
  ASSERT_EQ(body["priorities"].size(), 3u);
  EXPECT_EQ(body["priorities"][0]["name"], "P1");
  EXPECT_EQ(body["priorities"][0]["type"], "priority");
  EXPECT_EQ(body["priorities"][2]["name"], "P3");
  EXPECT_EQ(body["more"], false);
}

TEST_F(DirectoryTest, ServicesWithQueryNameTeamsSortAndInclude) {
  auto all = Body(Get("/services"))["services"];
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["name"], "Database");  // sorted by name
  EXPECT_EQ(all[0]["type"], "service");
  EXPECT_EQ(all[0]["escalation_policy"]["type"], "escalation_policy_reference");
  EXPECT_EQ(Body(Get("/services?sort_by=name:desc"))["services"][0]["name"], "Web Frontend");
  EXPECT_EQ(Body(Get("/services?query=front"))["services"].size(), 1u);
  EXPECT_EQ(Body(Get("/services?name=Web"))["services"].size(), 0u);
  EXPECT_EQ(Body(Get("/services?name=Web%20Frontend"))["services"].size(), 1u);
  EXPECT_EQ(Body(Get("/services?team_ids[]=PTEAMDB"))["services"][0]["id"], "PSVCDB1");
  auto included = Body(Get("/services?include[]=escalation_policies&include[]=teams"));
  EXPECT_EQ(included["services"][0]["escalation_policy"]["type"], "escalation_policy");
  EXPECT_EQ(included["services"][0]["teams"][0]["type"], "team");
  EXPECT_EQ(Body(Get("/services/PSVCWEB"))["service"]["name"], "Web Frontend");
  EXPECT_EQ(Get("/services/PNOPE")->status, 404);
  EXPECT_EQ(Get("/services?sort_by=id")->status, 400);
}

TEST_F(DirectoryTest, TeamsAndMembers) {
  auto teams = Body(Get("/teams"))["teams"];
  ASSERT_EQ(teams.size(), 2u);
  EXPECT_EQ(teams[0]["name"], "Databases");
  EXPECT_EQ(Body(Get("/teams?query=we"))["teams"].size(), 1u);
  auto members = Body(Get("/teams/PTEAMWB/members"));
  ASSERT_EQ(members["members"].size(), 2u);
  EXPECT_EQ(members["members"][0]["user"]["type"], "user_reference");
  EXPECT_EQ(members["members"][0]["role"], "responder");
  auto full = Body(Get("/teams/PTEAMWB/members?include[]=users"));
  EXPECT_EQ(full["members"][0]["user"]["email"], "rhea@example.com");
  EXPECT_EQ(Get("/teams/PNOPE/members")->status, 404);
}

TEST_F(DirectoryTest, UsersByNameOrEmail) {
  auto users = Body(Get("/users"))["users"];
  ASSERT_EQ(users.size(), 6u);
  EXPECT_EQ(users[0]["name"], "Ada Admin");
  EXPECT_EQ(users[0]["type"], "user");
  EXPECT_EQ(users[0]["role"], "admin");
  auto by_email = Body(Get("/users?query=ferry-bot@example.com"))["users"];
  ASSERT_EQ(by_email.size(), 1u);
  EXPECT_EQ(by_email[0]["id"], "PBOT001");
  EXPECT_EQ(Body(Get("/users?limit=2"))["more"], true);
  EXPECT_EQ(Body(Get("/users/PRESP01"))["user"]["teams"].size(), 1u);
  EXPECT_EQ(Get("/users/PNOPE")->status, 404);
}

TEST_F(DirectoryTest, AbilitiesAndMissingAbilityIs402) {
  auto abilities = Body(Get("/abilities"))["abilities"];
  EXPECT_NE(std::find(abilities.begin(), abilities.end(), "teams"), abilities.end());
  EXPECT_EQ(Get("/abilities/teams")->status, 204);
  EXPECT_EQ(Get("/abilities/teleportation")->status, 404);

  nlohmann::json seed = TestSeed();
  seed["account"]["abilities"] = {"urgencies"};
  Admin("/admin/seed", seed);
  auto teams = Get("/abilities/teams");
  EXPECT_EQ(teams->status, 402);
  EXPECT_EQ(ErrorCode(teams), 2014);
  EXPECT_EQ(Get("/teams")->status, 402);
  EXPECT_EQ(Get("/priorities")->status, 402);
  EXPECT_EQ(Get("/incidents?team_ids[]=PTEAMWB")->status, 402);
  seed["account"]["abilities"] = {"teams"};
  Admin("/admin/seed", seed);
  EXPECT_EQ(Get("/incidents?urgencies[]=low")->status, 402);
  const std::string id = NewIncident("x");
  EXPECT_EQ(Update(id, {{"priority", "P1"}})->status, 402);
  EXPECT_EQ(Call("POST", "/incidents/" + id + "/status_updates", "responder-token",
                 {{"message", "m"}})->status,
            402);
}

}  // namespace
}  // namespace ferry::pagerduty_sim
