// GET /incidents: filters, date windows, sorting, includes, pagination.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty_sim {
namespace {

class IncidentListTest : public SimFixture {
 protected:
  // Seeds incidents created at fixed times (relative to the real now, which
  // the simulator clock starts at).
  void SeedIncidents(const nlohmann::json& incidents) {
    nlohmann::json seed = TestSeed();
    seed["incidents"] = incidents;
    Admin("/admin/seed", seed);
  }

  static std::string DaysAgo(int days) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() - absl::Hours(24 * days),
                            absl::UTCTimeZone());
  }

  std::vector<std::string> Titles(const std::string& query) {
    auto res = Get("/incidents" + query);
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 200) << query << ": " << res->body;
    std::vector<std::string> titles;
    const nlohmann::json body = Body(res);
    for (const auto& i : body["incidents"]) titles.push_back(i["title"]);
    return titles;
  }
};

using ::testing::ElementsAre;

TEST_F(IncidentListTest, DefaultWindowIsOneMonthOfCreationTime) {
  SeedIncidents({{{"title", "old"}, {"service_id", "PSVCWEB"}, {"created_at", DaysAgo(45)}},
                 {{"title", "recent"}, {"service_id", "PSVCWEB"}, {"created_at", DaysAgo(3)}}});
  EXPECT_THAT(Titles(""), ElementsAre("recent"));
  EXPECT_THAT(Titles("?date_range=all"), ElementsAre("old", "recent"));
  EXPECT_THAT(Titles("?since=" + DaysAgo(60)), ElementsAre("old", "recent"));
  EXPECT_THAT(Titles("?since=" + DaysAgo(60) + "&until=" + DaysAgo(10)), ElementsAre("old"));
  EXPECT_THAT(Titles("?until=" + DaysAgo(40)), ElementsAre("old"));
}

TEST_F(IncidentListTest, UpdatesDoNotMoveAnIncidentIntoTheWindow) {
  SeedIncidents({{{"title", "old"}, {"service_id", "PSVCWEB"}, {"created_at", DaysAgo(20)}}});
  ASSERT_EQ(Update("1", {{"status", "acknowledged"}})->status, 200);
  EXPECT_TRUE(Titles("?since=" + DaysAgo(1)).empty());
}

TEST_F(IncidentListTest, WindowErrors) {
  auto too_wide = Get("/incidents?since=" + DaysAgo(200) + "&until=" + DaysAgo(1));
  EXPECT_EQ(too_wide->status, 400);
  EXPECT_EQ(ErrorCode(too_wide), 2005);
  auto backwards = Get("/incidents?since=" + DaysAgo(1) + "&until=" + DaysAgo(2));
  EXPECT_EQ(ErrorCode(backwards), 2005);
  auto garbage = Get("/incidents?since=yesterday");
  EXPECT_EQ(garbage->status, 400);
  EXPECT_EQ(ErrorCode(garbage), 2004);
  EXPECT_EQ(Get("/incidents?date_range=some")->status, 400);
}

TEST_F(IncidentListTest, NaiveTimesUseTimeZoneAndRenderingFollowsIt) {
  SeedIncidents({{{"title", "a"}, {"service_id", "PSVCWEB"},
                  {"created_at", "2026-01-10T12:00:00Z"}}});
  // 12:00Z is 07:00 in New York (EST, -05:00).
  EXPECT_THAT(Titles("?since=2026-01-10T06:30:00&until=2026-01-10T07:30:00"
                     "&time_zone=America/New_York"),
              ElementsAre("a"));
  EXPECT_TRUE(Titles("?since=2026-01-10T06:30:00&until=2026-01-10T07:30:00").empty());
  EXPECT_THAT(Titles("?since=2026-01-10T11:00Z&until=2026-01-10T13:00Z"), ElementsAre("a"));
  EXPECT_THAT(Titles("?since=2026-01-10T06:00-05&until=2026-01-10"
                     "T08:00-05:00"),
              ElementsAre("a"));
  EXPECT_THAT(Titles("?since=2026-01-10&until=2026-01-11"), ElementsAre("a"));
  auto res = Get("/incidents?date_range=all&time_zone=America/New_York");
  EXPECT_EQ(Body(res)["incidents"][0]["created_at"], "2026-01-10T07:00:00-05:00");
  EXPECT_EQ(Get("/incidents?time_zone=Mars/Olympus")->status, 400);
}

TEST_F(IncidentListTest, NaiveTimesDefaultToTheAccountZone) {
  nlohmann::json seed = TestSeed();
  seed["account"]["time_zone"] = "America/New_York";
  seed["incidents"] = {{{"title", "a"}, {"service_id", "PSVCWEB"},
                        {"created_at", "2026-01-10T12:00:00Z"}}};
  Admin("/admin/seed", seed);
  EXPECT_THAT(Titles("?since=2026-01-10T06:30:00&until=2026-01-10T07:30:00"), ElementsAre("a"));
  // Rendering stays UTC unless time_zone is given.
  EXPECT_EQ(Body(Get("/incidents?date_range=all"))["incidents"][0]["created_at"],
            "2026-01-10T12:00:00Z");
}

TEST_F(IncidentListTest, StatusKeyServiceTeamUserUrgencyAndPriorityFilters) {
  SeedIncidents({{{"title", "t1"}, {"service_id", "PSVCWEB"}, {"created_at", DaysAgo(3)}},
                 {{"title", "a1"}, {"service_id", "PSVCWEB"}, {"created_at", DaysAgo(2)},
                  {"status", "acknowledged"}, {"as_user", "PBOT001"}, {"incident_key", "K"}},
                 {{"title", "r1"}, {"service_id", "PSVCDB1"}, {"created_at", DaysAgo(1)},
                  {"status", "resolved"}, {"urgency", "low"}, {"priority_id", "PPRIO01"}}});
  EXPECT_THAT(Titles("?statuses[]=triggered&statuses[]=acknowledged"), ElementsAre("t1", "a1"));
  EXPECT_THAT(Titles("?statuses[]=resolved"), ElementsAre("r1"));
  auto bad = Get("/incidents?statuses[]=open");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"]["errors"][0],
            "Status must be a list of triggered, acknowledged, or resolved.");
  EXPECT_THAT(Titles("?incident_key=K"), ElementsAre("a1"));
  EXPECT_THAT(Titles("?service_ids[]=PSVCDB1"), ElementsAre("r1"));
  EXPECT_THAT(Titles("?team_ids[]=PTEAMWB"), ElementsAre("t1", "a1"));
  EXPECT_THAT(Titles("?team_ids[]=PTEAMWB&statuses[]=triggered"), ElementsAre("t1"));
  // user_ids[]: currently assigned and not resolved.
  EXPECT_THAT(Titles("?user_ids[]=PBOT001"), ElementsAre("a1"));
  EXPECT_THAT(Titles("?user_ids[]=PRESP01"), ElementsAre("t1"));
  EXPECT_THAT(Titles("?urgencies[]=low"), ElementsAre("r1"));
  EXPECT_THAT(Titles("?priority_ids[]=PPRIO01"), ElementsAre("r1"));
}

TEST_F(IncidentListTest, SortBy) {
  SeedIncidents({{{"title", "a"}, {"service_id", "PSVCWEB"}, {"created_at", DaysAgo(3)},
                  {"urgency", "low"}},
                 {{"title", "b"}, {"service_id", "PSVCWEB"}, {"created_at", DaysAgo(2)}},
                 {{"title", "c"}, {"service_id", "PSVCWEB"}, {"created_at", DaysAgo(1)},
                  {"urgency", "low"}}});
  EXPECT_THAT(Titles("?sort_by=created_at:desc"), ElementsAre("c", "b", "a"));
  EXPECT_THAT(Titles("?sort_by=incident_number:asc"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(Titles("?sort_by=urgency:desc,incident_number:desc"), ElementsAre("b", "c", "a"));
  EXPECT_EQ(Get("/incidents?sort_by=title")->status, 400);
  EXPECT_EQ(Get("/incidents?sort_by=created_at:up")->status, 400);
  EXPECT_EQ(Get("/incidents?sort_by=created_at,urgency,incident_number")->status, 400);
}

TEST_F(IncidentListTest, ClassicPagination) {
  nlohmann::json incidents = nlohmann::json::array();
  for (int i = 0; i < 30; ++i) {
    incidents.push_back({{"title", "i" + std::to_string(i)}, {"service_id", "PSVCWEB"}});
  }
  SeedIncidents(incidents);
  auto first = Body(Get("/incidents"));
  EXPECT_EQ(first["incidents"].size(), 25u);
  EXPECT_EQ(first["limit"], 25);
  EXPECT_EQ(first["offset"], 0);
  EXPECT_EQ(first["more"], true);
  EXPECT_TRUE(first["total"].is_null());
  auto last = Body(Get("/incidents?offset=25&total=true"));
  EXPECT_EQ(last["incidents"].size(), 5u);
  EXPECT_EQ(last["more"], false);
  EXPECT_EQ(last["total"], 30);
  EXPECT_EQ(Body(Get("/incidents?limit=500"))["limit"], 100);
  auto past_cap = Get("/incidents?offset=9950&limit=100");
  EXPECT_EQ(past_cap->status, 400);
  EXPECT_EQ(ErrorCode(past_cap), 2001);
  EXPECT_EQ(Get("/incidents?offset=9900&limit=100")->status, 200);
  EXPECT_EQ(Get("/incidents?limit=abc")->status, 400);
  EXPECT_EQ(Get("/incidents?total=maybe")->status, 400);
}

TEST_F(IncidentListTest, IncludeExpandsReferences) {
  SeedIncidents({{{"title", "x"}, {"service_id", "PSVCWEB"}, {"status", "acknowledged"},
                  {"as_user", "PBOT001"}, {"priority_id", "PPRIO02"}}});
  auto plain = Body(Get("/incidents"))["incidents"][0];
  EXPECT_EQ(plain["service"]["type"], "service_reference");
  EXPECT_EQ(plain["assignments"][0]["assignee"]["type"], "user_reference");
  auto full = Body(Get("/incidents?include[]=services&include[]=assignees&include[]=acknowledgers"
                       "&include[]=escalation_policies&include[]=teams&include[]=agents"
                       "&include[]=first_trigger_log_entries&include[]=priorities"))["incidents"][0];
  EXPECT_EQ(full["service"]["type"], "service");
  EXPECT_EQ(full["service"]["name"], "Web Frontend");
  EXPECT_EQ(full["assignments"][0]["assignee"]["type"], "user");
  EXPECT_EQ(full["assignments"][0]["assignee"]["email"], "ferry-bot@example.com");
  EXPECT_EQ(full["acknowledgements"][0]["acknowledger"]["type"], "user");
  EXPECT_EQ(full["escalation_policy"]["type"], "escalation_policy");
  EXPECT_EQ(full["teams"][0]["type"], "team");
  EXPECT_EQ(full["last_status_change_by"]["type"], "user");
  EXPECT_EQ(full["first_trigger_log_entry"]["type"], "trigger_log_entry");
  EXPECT_EQ(full["priority"]["name"], "P2");
}

}  // namespace
}  // namespace ferry::pagerduty_sim
