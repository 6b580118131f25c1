// Plays examples/pagerduty-servicenow.yaml against the simulators, only
// its end points, secrets, service and poll interval changed
// (SnWorld::WriteExample), and checks what its comments promise: titles
// both ways, status onto the state model and back, Resolved with the
// options' close code and notes, P1 as impact 1 × urgency 1, notes as
// work notes and journal entries back as notes, the ServiceNow incident
// noted on PagerDuty's, correlation back to the PagerDuty incident, and
// the target lookup linking an open incident that carries it.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/sn_world.h"

namespace ferry::e2e {
namespace {

using ::testing::HasSubstr;
using SnIncident = SnWorld::SnIncident;

std::string ReadExample() {
  std::ifstream in(std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") +
                   "/examples/pagerduty-servicenow.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SnExampleTest, PagerDutyServiceNowKeepsWhatItsCommentsPromise) {
  SnWorld world("sn_example");
  const std::string example = ReadExample();
  ASSERT_FALSE(example.empty()) << "examples/pagerduty-servicenow.yaml is not in the runfiles";
  world.WriteExample(example, "PSERVICE1");
  // An incident that PagerDuty's own extension (here: Ida) already opened
  // in ServiceNow, its correlation id the PagerDuty incident's id.
  const std::string known = world.TriggerIncident("Checkout errors");
  const std::string filed = world.OpenIncident("Checkout errors", {{"correlation_id", known}});
  // The integration starts at the next whole second, so the hand-filed
  // incident is older than it: an old incident, not a new one to copy to
  // PagerDuty (which it would be if ferryd started within its second).
  AfterThisSecond();
  ASSERT_TRUE(world.StartFerryd());

  // A new P1 incident: a New ServiceNow incident of priority 1, correlated.
  const std::string incident = world.TriggerIncident("Database down");
  world.SetPriority(incident, "P1");
  ASSERT_TRUE(world.CopyBecomes(incident, [](const SnIncident& copy) {
    return copy.short_description == "Database down" && copy.state == "1" &&
           copy.impact == "1" && copy.urgency == "1" && copy.priority == "1";
  })) << world.Diagnostics();
  const SnIncident copy = world.IncidentsFor(incident).front();
  EXPECT_EQ(copy.description, "Database down");
  // The ServiceNow incident is noted on PagerDuty's.
  EXPECT_TRUE(Eventually([&] {
    for (const std::string& note : world.Notes(incident)) {
      if (absl::StrContains(note, copy.number) || absl::StrContains(note, copy.sys_id)) {
        return true;
      }
    }
    return false;
  })) << ::testing::PrintToString(world.Notes(incident)) << world.Diagnostics();

  // Notes become work notes; comments and work notes come back as notes.
  world.AddNote(incident, "Failing over to the replica");
  world.EditIncident(copy.sys_id, {{"comments", "Users report errors on login"}});
  EXPECT_TRUE(world.CopyBecomes(incident, [](const SnIncident& copy) {
    return CountContaining(copy.work_notes, "Failing over to the replica") == 1;
  })) << world.Diagnostics();
  EXPECT_TRUE(Eventually([&] {
    return CountContaining(world.Notes(incident), "Users report errors on login") == 1;
  })) << world.Diagnostics();

  // Ida takes it In Progress: the PagerDuty incident is acknowledged.
  world.EditIncident(copy.sys_id, {{"state", "2"}});
  EXPECT_TRUE(Eventually([&] {
    return world.Incident(incident).value("status", "") == "acknowledged";
  })) << world.Diagnostics();

  // Resolved in PagerDuty: Resolved in ServiceNow, with the options' close
  // code and notes.
  world.UpdateIncident(incident, {{"status", "resolved"}});
  EXPECT_TRUE(world.CopyBecomes(incident, [](const SnIncident& copy) {
    return copy.state == "6" && copy.close_code == "Solved (Permanently)" &&
           copy.close_notes == "Resolved in PagerDuty";
  })) << world.Diagnostics();

  // The target lookup linked the open incident that carried the id.
  world.UpdateIncident(known, {{"title", "Checkout errors in EU"}, {"status", "acknowledged"}});
  EXPECT_TRUE(world.CopyBecomes(known, [&](const SnIncident& copy) {
    return copy.sys_id == filed && copy.short_description == "Checkout errors in EU" &&
           copy.state == "2";
  })) << world.Diagnostics();
  EXPECT_EQ(world.SnIncidents().size(), 2u);
  EXPECT_THAT(world.Ferryctl({"failures", "list"}), HasSubstr("0 open failure(s)"))
      << world.Diagnostics();
  world.StopFerryd();
}

}  // namespace
}  // namespace ferry::e2e
