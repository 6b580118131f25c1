// End to end, PagerDuty ⇄ ServiceNow: what a synced pair of PagerDuty
// incident and ServiceNow incident promises — creates and updates both
// ways, status onto the state model (Resolved with its close code and
// notes), priority as impact × urgency, notes ⇄ comments and work notes
// once each, and target lookup by encoded query. ferryd runs as a process
// against both simulators; each TEST is one promise, as in sync_test.cc
// for Jira.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/scenarios.h"
#include "tests/e2e/sn_world.h"

namespace ferry::e2e {
namespace {

using ::testing::HasSubstr;
using SnIncident = SnWorld::SnIncident;

// Waits until exactly one ServiceNow incident is for `incident` and
// returns it.
std::optional<SnIncident> CopyOf(SnWorld& world, const std::string& incident) {
  std::optional<SnIncident> copy;
  world.CopyBecomes(incident, [&](const SnIncident& found) {
    copy = found;
    return true;
  });
  return copy;
}

// Every ServiceNow incident in one line each, for failure messages.
std::string Describe(SnWorld& world) {
  std::string text = "ServiceNow incidents:\n";
  for (const SnIncident& incident : world.SnIncidents()) {
    absl::StrAppend(&text, incident.number, " ", incident.sys_id, " state ", incident.state,
                    " correlation_id '", incident.correlation_id, "': ",
                    incident.short_description, "\n");
  }
  return text;
}

TEST(SnSyncTest, IncidentCreatesAndUpdatesAServiceNowIncident) {
  SnWorld world("sn_pd_to_sn");
  world.WriteConfig(std::string(kSnMapping) + SnIntegration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Checkout returns 500");
  auto copy = CopyOf(world, incident);
  ASSERT_TRUE(copy.has_value()) << world.Diagnostics();
  EXPECT_EQ(copy->short_description, "Checkout returns 500");
  EXPECT_EQ(copy->description, "Checkout returns 500");
  EXPECT_EQ(copy->state, "1");  // New
  EXPECT_THAT(copy->number, ::testing::StartsWith("INC"));

  world.UpdateIncident(incident, {{"title", "Checkout returns 503"},
                                  {"status", "acknowledged"}});
  EXPECT_TRUE(world.CopyBecomes(incident, [](const SnIncident& copy) {
    return copy.short_description == "Checkout returns 503" && copy.state == "2";
  })) << world.Diagnostics();
  // The description is written on create only.
  EXPECT_EQ(world.IncidentsFor(incident).front().description, "Checkout returns 500");
  world.StopFerryd();
}

TEST(SnSyncTest, StatusAndPriorityMapOntoTheStateModelAndImpactTimesUrgency) {
  SnWorld world("sn_state_priority");
  world.WriteConfig(std::string(kSnMapping) + SnIntegration("PSVCWEB"),
                    "close_notes: Resolved in PagerDuty");
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Database failover");
  ASSERT_TRUE(CopyOf(world, incident).has_value()) << world.Diagnostics();

  // P1 is impact 1 × urgency 1: priority 1 (Critical), computed by
  // ServiceNow, never written by Ferry.
  world.SetPriority(incident, "P1");
  EXPECT_TRUE(world.CopyBecomes(incident, [](const SnIncident& copy) {
    return copy.impact == "1" && copy.urgency == "1" && copy.priority == "1";
  })) << world.Diagnostics();
  // P3 is 2 × 2: priority 3 (Moderate).
  world.SetPriority(incident, "P3");
  EXPECT_TRUE(world.CopyBecomes(incident, [](const SnIncident& copy) {
    return copy.impact == "2" && copy.urgency == "2" && copy.priority == "3";
  })) << world.Diagnostics();

  // Resolved needs a close code and close notes: the defaults and the
  // options fill them, in the same write as the state.
  world.UpdateIncident(incident, {{"status", "resolved"}});
  EXPECT_TRUE(world.CopyBecomes(incident, [](const SnIncident& copy) {
    return copy.state == "6";
  })) << world.Diagnostics();
  const SnIncident resolved = world.IncidentsFor(incident).front();
  EXPECT_EQ(resolved.close_code, "Solved (Permanently)");
  EXPECT_EQ(resolved.close_notes, "Resolved in PagerDuty");
  EXPECT_THAT(world.Ferryctl({"failures", "list", "pd-sn"}), HasSubstr("0 open failure(s)"))
      << world.Diagnostics();
  world.StopFerryd();
}

TEST(SnSyncTest, AMappingOntoPriorityIsRefusedNamingImpactAndUrgency) {
  SnWorld world("sn_priority_refused");
  world.WriteConfig(absl::StrReplaceAll(kSnMapping,
                                        {{"    comments:",
                                          "      - {source: Priority, target: priority}\n"
                                          "    comments:"}}) +
                    SnIntegration("PSVCWEB"));
  int exit_code = 0;
  const std::string refused = world.Ferryctl({"validate", world.config_path()}, &exit_code);
  EXPECT_NE(exit_code, 0) << refused;
  EXPECT_THAT(refused, HasSubstr("impact"));
  EXPECT_THAT(refused, HasSubstr("urgency"));
}

TEST(SnSyncTest, ServiceNowIncidentCreatesAnIncidentAndEditsFlowBack) {
  SnWorld world("sn_creates");
  world.WriteConfig(std::string(kSnMapping) + SnIntegration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string sys_id = world.OpenIncident("Payments queue backing up");
  const auto created = IncidentTitled(world, "Payments queue backing up");
  ASSERT_TRUE(created.has_value()) << world.Diagnostics();

  world.EditIncident(sys_id, {{"short_description", "Payments queue drained"}});
  EXPECT_TRUE(Eventually([&] {
    return world.Incident(created->value("id", "")).value("title", "") ==
           "Payments queue drained";
  })) << world.Diagnostics();
  EXPECT_EQ(world.SnIncidents().size(), 1u);  // nothing echoed back as a new one
  world.StopFerryd();
}

TEST(SnSyncTest, NotesCommentsAndWorkNotesCrossOnceWithoutEcho) {
  SnWorld world("sn_journal");
  world.WriteConfig(std::string(kSnMapping) + SnIntegration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Login fails");
  auto copy = CopyOf(world, incident);
  ASSERT_TRUE(copy.has_value()) << world.Diagnostics();

  // A note becomes a work note (the first ServiceNow kind the mapping
  // lists); a customer-visible comment and a work note come back as notes.
  world.AddNote(incident, "Rolled back release 42");
  world.EditIncident(copy->sys_id, {{"comments", "Customers confirm logins work"}});
  world.EditIncident(copy->sys_id, {{"work_notes", "Checked the auth logs"}});
  EXPECT_TRUE(world.CopyBecomes(incident, [](const SnIncident& copy) {
    return CountContaining(copy.work_notes, "Rolled back release 42") == 1;
  })) << world.Diagnostics();
  EXPECT_TRUE(Eventually([&] {
    const std::vector<std::string> notes = world.Notes(incident);
    return CountContaining(notes, "Customers confirm logins work") == 1 &&
           CountContaining(notes, "Checked the auth logs") == 1;
  })) << world.Diagnostics();

  // A later entry on each side crosses too; by then any echo of the first
  // ones would have been read and written back.
  world.AddNote(incident, "Monitoring for an hour");
  world.EditIncident(copy->sys_id, {{"comments", "Closing the bridge"}});
  EXPECT_TRUE(world.CopyBecomes(incident, [](const SnIncident& copy) {
    return CountContaining(copy.work_notes, "Monitoring for an hour") == 1;
  })) << world.Diagnostics();
  EXPECT_TRUE(Eventually([&] {
    return CountContaining(world.Notes(incident), "Closing the bridge") == 1;
  })) << world.Diagnostics();

  const std::vector<std::string> notes = world.Notes(incident);
  const SnIncident last = world.IncidentsFor(incident).front();
  EXPECT_EQ(notes.size(), 5u) << ::testing::PrintToString(notes);
  EXPECT_EQ(last.work_notes.size(), 3u) << ::testing::PrintToString(last.work_notes);
  EXPECT_EQ(last.comments.size(), 2u) << ::testing::PrintToString(last.comments);
  for (const char* text : {"Rolled back release 42", "Customers confirm logins work",
                           "Checked the auth logs", "Monitoring for an hour",
                           "Closing the bridge"}) {
    EXPECT_EQ(CountContaining(notes, text), 1) << text;
    EXPECT_EQ(CountContaining(last.work_notes, text) + CountContaining(last.comments, text), 1)
        << text;
  }
  world.StopFerryd();
}

TEST(SnSyncTest, TargetLookupLinksTheExistingServiceNowIncident) {
  SnWorld world("sn_lookup");
  world.WriteConfig(std::string(kSnMapping) +
                    SnIntegration("PSVCWEB", "    target_lookup: {query: 'correlation_id=@Id@'}\n"));
  // Someone opened the ServiceNow incident by hand, its correlation id the
  // PagerDuty incident, before Ferry ran.
  const std::string incident = world.TriggerIncident("Cache stampede");
  const std::string sys_id =
      world.OpenIncident("Cache stampede (filed by hand)", {{"correlation_id", incident}});
  // The integration starts at the next whole second, so the hand-filed
  // incident is older than it: an old incident, not a new one to copy to
  // PagerDuty (which it would be if ferryd started within its second).
  AfterThisSecond();
  ASSERT_TRUE(world.StartFerryd());

  world.UpdateIncident(incident,
                       {{"title", "Cache stampede after deploy"}, {"status", "acknowledged"}});
  EXPECT_TRUE(world.CopyBecomes(incident, [&](const SnIncident& copy) {
    return copy.sys_id == sys_id && copy.short_description == "Cache stampede after deploy" &&
           copy.state == "2";
  })) << Describe(world) << world.Incident(incident) << "\n" << world.Diagnostics();
  EXPECT_EQ(world.SnIncidents().size(), 1u);
  // Linked, not copied back: PagerDuty has the one incident.
  EXPECT_EQ(world.Incidents("PSVCWEB").size(), 1u) << Describe(world);
  world.StopFerryd();
}

}  // namespace
}  // namespace ferry::e2e
