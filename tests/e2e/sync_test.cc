// End to end: what a synced pair of PagerDuty incident and Jira issue
// promises — creates and updates both ways, notes ⇄ comments once each,
// status maps and PagerDuty's acknowledged → triggered limit, Sync When,
// criteria and target lookup. ferryd runs as a process against both
// simulators; each TEST is one promise.
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_world.h"
#include "tests/e2e/scenarios.h"

namespace ferry::e2e {
namespace {

using ::testing::HasSubstr;
using Dialect = jira_sim::Dialect;

// Waits until exactly one Jira issue carries `incident` and returns it.
std::optional<E2eWorld::JiraIssue> CopyOf(E2eWorld& world, const std::string& incident) {
  std::optional<E2eWorld::JiraIssue> copy;
  Eventually([&] {
    auto issues = world.IssuesFor(incident);
    if (issues.size() == 1) copy = issues.front();
    return copy.has_value();
  });
  return copy;
}

TEST(SyncTest, IncidentCreatesAndUpdatesAnIssue) {
  E2eWorld world("pd_to_jira", {});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Checkout returns 500");
  auto copy = CopyOf(world, incident);
  ASSERT_TRUE(copy.has_value()) << world.Diagnostics();
  EXPECT_EQ(copy->summary, "Checkout returns 500");
  EXPECT_EQ(copy->status, "Open");

  world.UpdateIncident(incident, {{"title", "Checkout returns 503"},
                                  {"status", "acknowledged"}});
  world.SetPriority(incident, "P1");
  EXPECT_TRUE(CopyBecomes(world, incident, [](const auto& issue) {
    return issue.summary == "Checkout returns 503" && issue.status == "In Progress" &&
           issue.priority == "Highest";
  })) << world.Diagnostics();

  world.UpdateIncident(incident, {{"status", "resolved"}});
  EXPECT_TRUE(CopyBecomes(world, incident, [](const auto& issue) {
    return issue.status == "Done";
  })) << "incident " << world.Incident(incident).value("status", "") << ", issue "
      << world.IssuesFor(incident).front().status << "\n" << world.Diagnostics();
  EXPECT_EQ(world.Incident(incident).value("status", ""), "resolved");
  EXPECT_EQ(world.IssuesFor(incident).size(), 1u);
  world.StopFerryd();
}

TEST(SyncTest, IssueUpdatesFlowBackToTheIncident) {
  E2eWorld world("jira_to_pd", {Dialect::kCloud});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Search is slow");
  auto copy = CopyOf(world, incident);
  ASSERT_TRUE(copy.has_value()) << world.Diagnostics();

  world.EditIssue(copy->key, {{"summary", "Search is slow in eu-west"},
                              {"priority", {{"name", "High"}}}});
  EXPECT_TRUE(Eventually([&] {
    const nlohmann::json now = world.Incident(incident);
    return now.value("title", "") == "Search is slow in eu-west" &&
           now["priority"].is_object() && now["priority"].value("name", "") == "P2";
  })) << world.Incident(incident) << "\n" << world.Diagnostics();
  world.StopFerryd();
}

TEST(SyncTest, NewIssueCreatesAnIncident) {
  E2eWorld world("jira_creates", {Dialect::kCloud});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string key = world.CreateIssue("Payments queue backing up");
  const auto created = IncidentTitled(world, "Payments queue backing up");
  ASSERT_TRUE(created.has_value()) << world.Diagnostics();

  world.EditIssue(key, {{"summary", "Payments queue drained"}});
  EXPECT_TRUE(Eventually([&] {
    return world.Incident(created->value("id", "")).value("title", "") ==
           "Payments queue drained";
  })) << world.Diagnostics();
  world.StopFerryd();
}

TEST(SyncTest, NotesAndCommentsCrossOnceWithoutEcho) {
  E2eWorld world("comments", {});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Login fails");
  auto copy = CopyOf(world, incident);
  ASSERT_TRUE(copy.has_value()) << world.Diagnostics();

  world.AddNote(incident, "Rolled back release 42");
  world.CommentIssue(copy->key, "Customers confirm logins work");
  EXPECT_TRUE(CopyBecomes(world, incident, [](const auto& issue) {
    return CountContaining(issue.comments, "Rolled back release 42") == 1;
  })) << world.Diagnostics();
  EXPECT_TRUE(Eventually([&] {
    return CountContaining(world.Notes(incident), "Customers confirm logins work") == 1;
  })) << world.Diagnostics();

  // A later note on each side crosses too; by then any echo of the first
  // pair would have been read and written back.
  world.AddNote(incident, "Monitoring for an hour");
  world.CommentIssue(copy->key, "Closing the bridge");
  EXPECT_TRUE(CopyBecomes(world, incident, [](const auto& issue) {
    return CountContaining(issue.comments, "Monitoring for an hour") == 1;
  })) << world.Diagnostics();
  EXPECT_TRUE(Eventually([&] {
    return CountContaining(world.Notes(incident), "Closing the bridge") == 1;
  })) << world.Diagnostics();

  const std::vector<std::string> notes = world.Notes(incident);
  const std::vector<std::string> comments = world.IssuesFor(incident).front().comments;
  EXPECT_EQ(notes.size(), 4u) << ::testing::PrintToString(notes);
  EXPECT_EQ(comments.size(), 4u) << ::testing::PrintToString(comments);
  for (const char* text : {"Rolled back release 42", "Customers confirm logins work",
                           "Monitoring for an hour", "Closing the bridge"}) {
    EXPECT_EQ(CountContaining(notes, text), 1) << text;
    EXPECT_EQ(CountContaining(comments, text), 1) << text;
  }
  world.StopFerryd();
}

TEST(SyncTest, StatusMapsThatWouldUnacknowledgeAreRefusedAndTheSafeOneSyncs) {
  E2eWorld world("status", {});
  // Jira's simple workflow gets the common "Stop Progress" (In Progress →
  // Open), which PagerDuty cannot follow: acknowledged → triggered.
  world.EditJiraFixture([](nlohmann::json& fixture) {
    for (auto& workflow : fixture["workflows"]) {
      if (workflow["name"] != "simple") continue;
      workflow["transitions"].push_back(
          {{"id", "41"}, {"name", "Stop Progress"}, {"from", {"3"}}, {"to", "1"}});
    }
  });
  const std::string forward_status =
      "value_map: {values: {triggered: Open, acknowledged: In Progress, resolved: Done}}";
  // The plain both-ways map is refused before anything runs, naming the move.
  world.WriteConfig(absl::StrReplaceAll(std::string(kIncidentMapping),
                                        {{"value_map: {values: {triggered",
                                          "direction: BOTH\n        value_map: {values: {triggered"}}) +
                    Integration("PSVCWEB"));
  int exit_code = 0;
  const std::string refused = world.Ferryctl({"validate", world.config_path()}, &exit_code);
  EXPECT_NE(exit_code, 0) << refused;
  EXPECT_THAT(refused, HasSubstr("\"acknowledged\" → \"triggered\", which pagerduty refuses"));

  // So is one with Open ⇄ triggered only as the defaults: every status the
  // map does not name takes the default, and Stop Progress reaches it.
  world.WriteConfig(absl::StrReplaceAll(
                        std::string(kIncidentMapping),
                        {{forward_status,
                          "direction: BOTH\n"
                          "        value_map:\n"
                          "          values: {acknowledged: In Progress, resolved: Done}\n"
                          "          default_value: Open\n"
                          "          reverse_default_value: triggered"}}) +
                    Integration("PSVCWEB"));
  const std::string refused_default =
      world.Ferryctl({"validate", world.config_path()}, &exit_code);
  EXPECT_NE(exit_code, 0) << refused_default;
  EXPECT_THAT(refused_default, HasSubstr("(a status the map does not name)"));

  // What examples/pagerduty-jira.yaml does: a REVERSE-only map in which a
  // Jira status can only acknowledge or resolve the incident.
  world.WriteConfig(
      absl::StrReplaceAll(std::string(kIncidentMapping),
                          {{forward_status,
                            forward_status +
                                "\n      - source: Status\n"
                                "        target: status\n"
                                "        direction: REVERSE\n"
                                "        value_map:\n"
                                "          reverse_values: {Open: acknowledged, In Progress: "
                                "acknowledged, Done: resolved}"}}) +
      Integration("PSVCWEB", "    conflict_policy: NEWEST_WINS\n"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Queue consumers stuck");
  auto copy = CopyOf(world, incident);
  ASSERT_TRUE(copy.has_value()) << world.Diagnostics();
  ASSERT_EQ(copy->status, "Open");

  // Jira → PagerDuty: In Progress acknowledges the incident.
  world.TransitionIssue(copy->key, "Start Progress");
  ASSERT_TRUE(Eventually([&] {
    return world.Incident(incident).value("status", "") == "acknowledged";
  })) << world.Diagnostics();

  // Back to Open keeps it acknowledged: nothing asks PagerDuty to go back.
  world.TransitionIssue(copy->key, "Stop Progress");
  // PagerDuty stamps changes in whole seconds, so newest-wins can order
  // the two sides' changes only once its clock has passed Jira's.
  absl::SleepFor(absl::Milliseconds(1500));
  world.UpdateIncident(incident, {{"status", "resolved"}});
  EXPECT_TRUE(CopyBecomes(world, incident, [](const auto& issue) {
    return issue.status == "Done";
  })) << world.Diagnostics();
  EXPECT_EQ(world.Incident(incident).value("status", ""), "resolved");
  EXPECT_THAT(world.Ferryctl({"failures", "list", "pd-jira"}), HasSubstr("0 open failure(s)"))
      << world.Diagnostics();
  world.StopFerryd();
}

TEST(SyncTest, SyncWhenCreateFieldIsNotOverwrittenOnUpdate) {
  E2eWorld world("sync_when", {});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Disk almost full");
  auto copy = CopyOf(world, incident);
  ASSERT_TRUE(copy.has_value()) << world.Diagnostics();
  EXPECT_EQ(copy->description, "Disk almost full");

  world.UpdateIncident(incident, {{"title", "Disk full"}, {"status", "acknowledged"}});
  ASSERT_TRUE(CopyBecomes(world, incident, [](const auto& issue) {
    return issue.summary == "Disk full";
  })) << world.Diagnostics();
  // The update wrote summary (ALWAYS) but not description (CREATE).
  EXPECT_EQ(world.IssuesFor(incident).front().description, "Disk almost full");
  world.StopFerryd();
}

TEST(SyncTest, CriteriaSyncOnlyMatchingIncidentsUntilOneMatches) {
  E2eWorld world("criteria", {});
  world.WriteConfig(std::string(kIncidentMapping) +
                    Integration("PSVCWEB", "    criteria: {query: 'urgencies[]=high'}\n"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string quiet =
      world.TriggerIncident("Low disk on a build agent", "PSVCWEB", {{"urgency", "low"}});
  const std::string loud = world.TriggerIncident("API down");
  ASSERT_TRUE(CopyOf(world, loud).has_value()) << world.Diagnostics();

  // The quiet incident was read with or before the loud one's later
  // changes, so a copy would exist by now if it were synced.
  world.UpdateIncident(loud, {{"title", "API down in us-east"}, {"status", "acknowledged"}});
  ASSERT_TRUE(CopyBecomes(world, loud, [](const auto& issue) {
    return issue.summary == "API down in us-east";
  })) << world.Diagnostics();
  EXPECT_TRUE(world.IssuesFor(quiet).empty());

  // Raising its urgency makes it match: now it syncs.
  world.UpdateIncident(quiet, {{"urgency", "high"}});
  auto copy = CopyOf(world, quiet);
  ASSERT_TRUE(copy.has_value()) << world.Diagnostics();
  EXPECT_EQ(copy->summary, "Low disk on a build agent");
  world.StopFerryd();
}

TEST(SyncTest, TargetLookupLinksTheExistingIssue) {
  E2eWorld world("lookup", {});
  world.WriteConfig(std::string(kIncidentMapping) +
                    Integration("PSVCWEB", "    target_lookup: {query: '\"PagerDuty Incident\" ~ \"@Id@\"'}\n"));
  // Someone filed the issue by hand, naming the incident, before Ferry ran.
  const std::string incident = world.TriggerIncident("Cache stampede");
  const std::string key =
      world.CreateIssue("Cache stampede (filed by hand)", {{"customfield_10010", incident}});
  const size_t issues_before = world.JiraIssues().size();
  // The integration starts at the next whole second, so the issue is older
  // than it: an old issue, not a new one to copy to PagerDuty.
  AfterThisSecond();
  ASSERT_TRUE(world.StartFerryd());

  world.UpdateIncident(incident,
                       {{"title", "Cache stampede after deploy"}, {"status", "acknowledged"}});
  EXPECT_TRUE(CopyBecomes(world, incident, [&](const auto& issue) {
    return issue.key == key && issue.summary == "Cache stampede after deploy";
  })) << world.Diagnostics();
  EXPECT_EQ(world.JiraIssues().size(), issues_before);
  // Linked, not copied back: PagerDuty has the one incident.
  EXPECT_EQ(world.Incidents("PSVCWEB").size(), 1u);
  world.StopFerryd();
}

}  // namespace
}  // namespace ferry::e2e
