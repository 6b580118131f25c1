// Log entries: one per action with type/agent/channel, newest first, filters.
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty_sim {
namespace {

using ::testing::ElementsAre;

class LogEntriesTest : public SimFixture {
 protected:
  nlohmann::json Entries(const std::string& path) {
    auto res = Get(path);
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    return Body(res)["log_entries"];
  }
  static std::vector<std::string> Types(const nlohmann::json& entries) {
    std::vector<std::string> types;
    for (const auto& e : entries) types.push_back(e["type"]);
    return types;
  }
};

TEST_F(LogEntriesTest, EveryActionIsLoggedNewestFirst) {
  const std::string id = NewIncident("x", "PSVCWEB",
                                     {{"body", {{"type", "incident_body"}, {"details", "d"}}}});
  ASSERT_EQ(Update(id, {{"priority", "P1"}}, "rita@example.com")->status, 200);
  ASSERT_EQ(Update(id, {{"priority", "P2"}}, "rita@example.com")->status, 200);
  ASSERT_EQ(Update(id, {{"urgency", "low"}}, "rita@example.com")->status, 200);
  ASSERT_EQ(Update(id, {{"status", "acknowledged"}}, "rita@example.com")->status, 200);
  ASSERT_EQ(Call("POST", "/incidents/" + id + "/notes", "responder-token",
                 {{"note", {{"content", "looking"}}}})->status, 200);
  ASSERT_EQ(Call("POST", "/incidents/" + id + "/status_updates", "responder-token",
                 {{"message", "mitigated"}})->status, 200);
  ASSERT_EQ(Update(id, {{"status", "resolved"}, {"resolution", "rebooted"}},
                   "rita@example.com")->status, 200);

  auto entries = Entries("/incidents/" + id + "/log_entries");
  EXPECT_THAT(Types(entries),
              ElementsAre("resolve_log_entry", "status_update_log_entry", "annotate_log_entry",
                          "acknowledge_log_entry", "urgency_change_log_entry",
                          "priority_change_log_entry", "priority_change_log_entry",
                          "notify_log_entry", "assign_log_entry", "trigger_log_entry"));
  const auto& resolve = entries[0];
  EXPECT_EQ(resolve["agent"]["id"], "PRESP01");
  EXPECT_EQ(resolve["agent"]["type"], "user_reference");
  EXPECT_EQ(resolve["channel"]["type"], "website");
  EXPECT_EQ(resolve["note"], "rebooted");
  EXPECT_EQ(resolve["incident"]["id"], id);
  EXPECT_EQ(resolve["service"]["id"], "PSVCWEB");
  EXPECT_EQ(resolve["teams"][0]["id"], "PTEAMWB");
  EXPECT_EQ(entries[1]["message"], "mitigated");
  EXPECT_EQ(entries[2]["channel"]["type"], "note");
  EXPECT_EQ(entries[2]["channel"]["summary"], "looking");
  EXPECT_EQ(entries[5]["channel"]["old_priority"]["name"], "P1");
  EXPECT_EQ(entries[5]["channel"]["new_priority"]["name"], "P2");
  EXPECT_EQ(entries[5]["summary"], "Priority set to \"P2\" by Rita Responder");
  EXPECT_TRUE(entries[6]["channel"]["old_priority"].is_null());
  // The assignee is notified: a user and no agent.
  EXPECT_FALSE(entries[7].contains("agent"));
  EXPECT_EQ(entries[7]["user"]["id"], "PRESP01");
  EXPECT_EQ(entries[7]["channel"]["notification"]["address"], "rita@example.com");
  // The automatic assignment is the service's doing.
  EXPECT_EQ(entries[8]["agent"]["type"], "service_reference");
  EXPECT_EQ(entries[8]["channel"]["type"], "auto");
  EXPECT_EQ(entries[8]["assignees"][0]["id"], "PRESP01");
  EXPECT_EQ(entries[9]["agent"]["id"], "PADMIN1");
  EXPECT_EQ(entries[9]["channel"]["type"], "web_trigger");
  // The trigger's details come only with include[]=channels.
  EXPECT_FALSE(entries[9]["channel"].contains("details"));
  EXPECT_EQ(Entries("/incidents/" + id + "/log_entries?include[]=channels")[9]["channel"]["details"],
            "d");
  EXPECT_EQ(Body(Get("/incidents/" + id))["incident"]["first_trigger_log_entry"]["id"],
            entries[9]["id"]);
  auto one = Get("/log_entries/" + entries[9]["id"].get<std::string>());
  EXPECT_EQ(Body(one)["log_entry"]["type"], "trigger_log_entry");
  EXPECT_EQ(Get("/log_entries/PNOPE")->status, 404);
}

TEST_F(LogEntriesTest, TimesRenderInTheAccountsZoneUnlessTimeZoneIsGiven) {
  nlohmann::json seed = TestSeed();
  seed["account"]["time_zone"] = "Asia/Tokyo";
  Admin("/admin/seed", seed);
  const std::string id = NewIncident("x");
  const std::string account = Entries("/log_entries")[0]["created_at"];
  EXPECT_EQ(account.substr(account.size() - 6), "+09:00") << account;
  const std::string utc = Entries("/log_entries?time_zone=UTC")[0]["created_at"];
  EXPECT_EQ(utc.back(), 'Z') << utc;
  const std::string one = Body(Get("/log_entries/" + Entries("/log_entries")[0]["id"]
                                                        .get<std::string>()))["log_entry"]["created_at"];
  EXPECT_EQ(one.substr(one.size() - 6), "+09:00") << one;
  // Incidents keep rendering in UTC by default.
  const std::string created = Body(Get("/incidents/" + id))["incident"]["created_at"];
  EXPECT_EQ(created.back(), 'Z') << created;
}

TEST_F(LogEntriesTest, SinceUntilUseTheSimulatorClock) {
  const std::string a = NewIncident("a");
  Admin("/admin/clock/advance", {{"seconds", 3600}});
  const std::string mark = Body(client_->Get("/admin/clock"))["now"];
  Admin("/admin/clock/advance", {{"seconds", 60}});
  ASSERT_EQ(Update(a, {{"status", "acknowledged"}})->status, 200);
  auto after = Entries("/log_entries?since=" + mark);
  // Acknowledging as ada also reassigns the incident to her.
  EXPECT_THAT(Types(after), ElementsAre("acknowledge_log_entry", "assign_log_entry"));
  auto before = Entries("/log_entries?until=" + mark);
  EXPECT_THAT(Types(before),
              ElementsAre("notify_log_entry", "assign_log_entry", "trigger_log_entry"));
  EXPECT_EQ(Get("/log_entries?since=soon")->status, 400);
}

TEST_F(LogEntriesTest, OverviewIncludesTeamsAndPagination) {
  const std::string web = NewIncident("web", "PSVCWEB");
  NewIncident("db", "PSVCDB1");
  ASSERT_EQ(Update(web, {{"status", "acknowledged"}})->status, 200);
  // is_overview drops the assignments.
  EXPECT_THAT(Types(Entries("/incidents/" + web + "/log_entries?is_overview=true")),
              ElementsAre("acknowledge_log_entry", "trigger_log_entry"));
  auto full = Entries("/log_entries?include[]=incidents&include[]=services&limit=1");
  ASSERT_EQ(full.size(), 1u);
  EXPECT_EQ(full[0]["incident"]["type"], "incident");
  EXPECT_EQ(full[0]["service"]["type"], "service");
  auto db_only = Entries("/log_entries?team_ids[]=PTEAMDB");
  EXPECT_THAT(Types(db_only),
              ElementsAre("notify_log_entry", "assign_log_entry", "trigger_log_entry"));
  auto page = Body(Get("/log_entries?limit=2&offset=2&total=true"));
  EXPECT_EQ(page["log_entries"].size(), 2u);
  // web: trigger, assign, notify, assign (to ada, no notify), acknowledge;
  // db: trigger, assign, notify.
  EXPECT_EQ(page["total"], 8);
  EXPECT_EQ(page["more"], true);
  EXPECT_EQ(Get("/incidents/PNOPE/log_entries")->status, 404);
}

TEST_F(LogEntriesTest, EscalateReassignDelegateAndReopenAreLogged) {
  const std::string id = NewIncident("x");
  ASSERT_EQ(Update(id, {{"escalation_level", 2}})->status, 200);
  ASSERT_EQ(Update(id, {{"assignments", {{{"assignee", {{"id", "PBOT001"}}}}}}})->status, 200);
  ASSERT_EQ(Update(id, {{"escalation_policy", {{"id", "PEPDB01"}}}})->status, 200);
  ASSERT_EQ(Update(id, {{"status", "resolved"}})->status, 200);
  ASSERT_EQ(Update(id, {{"status", "triggered"}})->status, 200);
  EXPECT_THAT(Types(Entries("/incidents/" + id + "/log_entries?limit=100")),
              ElementsAre("notify_log_entry", "assign_log_entry", "trigger_log_entry",
                          "resolve_log_entry", "notify_log_entry", "assign_log_entry",
                          "delegate_log_entry", "notify_log_entry", "assign_log_entry",
                          "notify_log_entry", "assign_log_entry", "escalate_log_entry",
                          "notify_log_entry", "assign_log_entry", "trigger_log_entry"));
}

}  // namespace
}  // namespace ferry::pagerduty_sim
