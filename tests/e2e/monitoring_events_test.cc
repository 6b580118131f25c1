// End to end: incidents that a monitoring tool opens through PagerDuty's
// Events API v2 sync as well as hand-made ones — created once with the
// alert's details as the description, acknowledged and resolved by events,
// notes and comments both ways without echo, a re-trigger after a resolve,
// an alert grouped into a linked incident, and a merge.
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_world.h"
#include "tests/e2e/scenarios.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::e2e {
namespace {

// The routing key of the monitoring tool's integration on PSVCWEB.
constexpr char kRoutingKey[] = "0123456789abcdef0123456789abcdef";

// kIncidentMapping with the incident's Description (the alert's custom
// details) as the issue's description.
std::string Mapping() {
  return absl::StrReplaceAll(kIncidentMapping,
                             {{"{source: Title, target: description, sync_when: CREATE}",
                               "{source: Description, target: description, sync_when: CREATE}"}});
}

// Re-seeds PagerDuty: PSVCWEB gets the monitoring tool's Events API v2
// integration and, when `group_by_source`, content-based grouping on the
// alert's source.
void AddMonitoringTool(E2eWorld& world, bool group_by_source) {
  nlohmann::json seed = pagerduty_sim::TestSeed();
  for (auto& service : seed["services"]) {
    if (service["id"] != "PSVCWEB") continue;
    service["integrations"] = {
        {{"id", "PINTPRM"}, {"name", "Prometheus"}, {"integration_key", kRoutingKey}}};
    if (group_by_source) service["grouping_fields"] = {"source"};
  }
  world.PdAdmin("POST", "/admin/seed", seed);
}

void SendEvent(E2eWorld& world, const std::string& action, const std::string& dedup_key,
               const std::string& summary = "", const std::string& source = "db-1") {
  nlohmann::json event = {
      {"routing_key", kRoutingKey}, {"event_action", action}, {"dedup_key", dedup_key}};
  if (action == "trigger") {
    event["payload"] = {{"summary", summary},
                        {"source", source},
                        {"severity", "critical"},
                        {"custom_details", {{"disk", "/var"}, {"used", "97%"}}}};
  }
  world.PdAdmin("POST", "/v2/enqueue", event);
}

// The incidents of PSVCWEB holding an alert with `dedup_key`, oldest first.
std::vector<nlohmann::json> IncidentsWithKey(E2eWorld& world, const std::string& dedup_key) {
  std::vector<nlohmann::json> found;
  for (const auto& incident : world.Incidents("PSVCWEB")) {
    if (incident.value("incident_key", "") == dedup_key) found.push_back(incident);
  }
  return found;
}

TEST(MonitoringEventsTest, AnEventCreatedIncidentSyncsLikeAHandMadeOne) {
  E2eWorld world("events_lifecycle", {});
  AddMonitoringTool(world, /*group_by_source=*/false);
  world.WriteConfig(Mapping() + Integration("PSVCWEB"));
  const size_t issues_before = world.JiraIssues().size();  // the fixture's own
  ASSERT_TRUE(world.StartFerryd());

  SendEvent(world, "trigger", "disk/db-1", "Disk almost full on db-1");
  ASSERT_EQ(IncidentsWithKey(world, "disk/db-1").size(), 1u);
  const std::string incident = IncidentsWithKey(world, "disk/db-1")[0].value("id", "");
  ASSERT_TRUE(CopyBecomes(world, incident, [](const auto& issue) {
    return issue.summary == "Disk almost full on db-1" && issue.status == "Open";
  })) << world.Diagnostics();
  EXPECT_EQ(world.IssuesFor(incident).front().description, "disk: /var\nused: 97%");

  // The monitoring tool acknowledges: not Ferry's echo, a change to sync.
  SendEvent(world, "acknowledge", "disk/db-1");
  EXPECT_TRUE(CopyBecomes(world, incident, [](const auto& issue) {
    return issue.status == "In Progress";
  })) << world.Diagnostics();

  world.AddNote(incident, "Pruning old logs");
  const std::string key = world.IssuesFor(incident).front().key;
  world.CommentIssue(key, "Customer impact: none so far");
  EXPECT_TRUE(CopyBecomes(world, incident, [](const auto& issue) {
    return CountContaining(issue.comments, "Pruning old logs") == 1;
  })) << world.Diagnostics();
  EXPECT_TRUE(Eventually([&] {
    return CountContaining(world.Notes(incident), "Customer impact: none so far") == 1;
  })) << world.Diagnostics();

  SendEvent(world, "resolve", "disk/db-1");
  EXPECT_TRUE(CopyBecomes(world, incident, [](const auto& issue) {
    return issue.status == "Done";
  })) << world.Diagnostics();

  // The same alert fires again: PagerDuty opens a new incident, and Jira
  // gets a new issue for it; the first one stays as it was.
  SendEvent(world, "trigger", "disk/db-1", "Disk almost full on db-1 again");
  ASSERT_EQ(IncidentsWithKey(world, "disk/db-1").size(), 2u);
  const std::string again = IncidentsWithKey(world, "disk/db-1")[1].value("id", "");
  EXPECT_TRUE(CopyBecomes(world, again, [](const auto& issue) {
    return issue.summary == "Disk almost full on db-1 again" && issue.status == "Open";
  })) << world.Diagnostics();
  EXPECT_EQ(world.IssuesFor(incident).front().status, "Done");
  EXPECT_EQ(world.JiraIssues().size(), issues_before + 2);
  // Nothing came back as an echo: one note and one comment each.
  EXPECT_EQ(world.Notes(incident).size(), 2u) << ::testing::PrintToString(world.Notes(incident));
  EXPECT_EQ(world.IssuesFor(incident).front().comments.size(), 2u);
  world.StopFerryd();
}

TEST(MonitoringEventsTest, GroupedAlertsAndAMergeReachTheIssuesOnce) {
  E2eWorld world("events_grouping_merge", {});
  AddMonitoringTool(world, /*group_by_source=*/true);
  world.WriteConfig(Mapping() + Integration("PSVCWEB"));
  const size_t issues_before = world.JiraIssues().size();  // the fixture's own
  ASSERT_TRUE(world.StartFerryd());

  SendEvent(world, "trigger", "disk/db-1", "Disk almost full on db-1", "db-1");
  const std::string survivor = IncidentsWithKey(world, "disk/db-1")[0].value("id", "");
  ASSERT_TRUE(CopyBecomes(world, survivor, [](const auto&) { return true; }))
      << world.Diagnostics();

  // A second alert from db-1 joins the linked incident: no new incident, no
  // new issue; the incident's next change still reaches its issue.
  SendEvent(world, "trigger", "lag/db-1", "Replication lag on db-1", "db-1");
  EXPECT_EQ(world.Incidents("PSVCWEB").size(), 1u);
  EXPECT_TRUE(CopyBecomes(world, survivor, [](const auto& issue) {
    return CountContaining(issue.comments, "New alert from Prometheus: Replication lag") == 1;
  })) << world.Diagnostics();
  SendEvent(world, "acknowledge", "lag/db-1");
  EXPECT_TRUE(CopyBecomes(world, survivor, [](const auto& issue) {
    return issue.status == "In Progress";
  })) << world.Diagnostics();

  SendEvent(world, "trigger", "http/web-1", "Web 500s", "web-1");
  ASSERT_EQ(world.Incidents("PSVCWEB").size(), 2u);
  const std::string merged = world.Incidents("PSVCWEB")[1].value("id", "");
  ASSERT_TRUE(CopyBecomes(world, merged, [](const auto& issue) {
    return issue.status == "Open";
  })) << world.Diagnostics();

  // Ada merges the web incident into the database one.
  world.PdAdmin("POST", "/admin/act",
                {{"as", "ada@example.com"},
                 {"method", "PUT"},
                 {"path", "/incidents/" + survivor + "/merge"},
                 {"body",
                  {{"source_incidents", {{{"id", merged}, {"type", "incident_reference"}}}}}}});
  // The comment names the surviving incident by its link (the stored
  // Data Center wiki escapes the "[#n]" of its title).
  EXPECT_TRUE(CopyBecomes(world, merged, [&](const auto& issue) {
    return issue.status == "Done" &&
           CountContaining(issue.comments, "Merged into PagerDuty incident ") == 1 &&
           CountContaining(issue.comments, "/incidents/" + survivor + ")") == 1;
  })) << ::testing::PrintToString(world.IssuesFor(merged).front().comments) << "\n"
      << world.Diagnostics();
  EXPECT_EQ(world.IssuesFor(survivor).size(), 1u);
  EXPECT_EQ(world.IssuesFor(survivor).front().status, "In Progress");
  // What Ferry said on the issues does not come back as PagerDuty notes.
  EXPECT_EQ(CountContaining(world.Notes(survivor), "New alert"), 0);
  EXPECT_EQ(CountContaining(world.Notes(merged), "Merged into"), 0);
  EXPECT_EQ(world.JiraIssues().size(), issues_before + 2);
  world.StopFerryd();
}

}  // namespace
}  // namespace ferry::e2e
