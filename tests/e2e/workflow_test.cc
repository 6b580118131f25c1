// End to end: an incident's status reaches a Jira project whose workflow
// Ferry has never seen (Open → Triage → Working → Done, no issue in it), and
// resolving goes through a screen that requires a Resolution and a Root
// cause. A required field Ferry has no value for parks the change with a
// message naming the fix; the fix is a config line and a reload, no restart.
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_world.h"

namespace ferry::e2e {
namespace {

using ::testing::HasSubstr;

// PagerDuty incidents → Jira Incidents in TRI ("triage-rca" workflow).
constexpr char kTriageConfig[] = R"(mappings:
  - name: incident-to-triage
    source_type: incident
    target_type: Incident
    fields:
      - {source: Title, target: summary}
      - {source: Id, target: customfield_10010, sync_when: CREATE}
      - source: Status
        target: status
        value_map: {values: {triggered: Open, acknowledged: Working, resolved: Done}}
integrations:
  - name: pd-triage
    source: {system: pagerduty, projects: [PSVCWEB]}
    target: {system: jira, projects: [TRI]}
    mapping: incident-to-triage
    direction: FORWARD
    poll_interval: 0.2s
    conflict_policy: SOURCE_WINS
    retry: {max_attempts: 50, initial_backoff: 0.2s, max_backoff: 1s}
)";

class WorkflowTest : public ::testing::TestWithParam<jira_sim::Dialect> {};

TEST_P(WorkflowTest, FreshWorkflowAndAResolutionScreenWithARequiredField) {
  E2eWorld world("workflow", {GetParam()});
  world.WriteConfig(kTriageConfig);
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Disk full on db-2");
  auto in = [&](const std::string& status) {
    return Eventually([&] {
      auto issues = world.IssuesFor(incident, "TRI");
      return issues.size() == 1 && issues.front().status == status;
    });
  };
  ASSERT_TRUE(in("Open")) << world.Diagnostics();

  // Two hops through statuses no issue has been in.
  world.UpdateIncident(incident, {{"status", "acknowledged"}});
  ASSERT_TRUE(in("Working")) << world.Diagnostics();

  // Resolve needs a Root cause the config does not give: parked, named.
  world.UpdateIncident(incident, {{"status", "resolved"}});
  std::string failures;
  EXPECT_TRUE(Eventually([&] {
    failures = world.Ferryctl({"failures", "list", "pd-triage"});
    return absl::StrContains(failures, "customfield_10012");
  })) << failures << world.Diagnostics();
  EXPECT_THAT(failures, HasSubstr("Resolve"));
  EXPECT_THAT(failures, HasSubstr("transition_fields"));
  EXPECT_EQ(world.IssuesFor(incident, "TRI").front().status, "Working");

  // The fix, reloaded: the retry goes through with the default resolution.
  world.WriteConfig(kTriageConfig, "transition_fields: {customfield_10012: disk full}");
  ASSERT_TRUE(world.Reload());
  ASSERT_TRUE(in("Done")) << world.Ferryctl({"failures", "list", "pd-triage"})
                          << world.Diagnostics();
  const E2eWorld::JiraIssue issue = world.IssuesFor(incident, "TRI").front();
  EXPECT_EQ(issue.resolution, "Done");
  EXPECT_EQ(issue.root_cause, "disk full");
  world.StopFerryd();
}

INSTANTIATE_TEST_SUITE_P(BothDeployments, WorkflowTest,
                         ::testing::Values(jira_sim::Dialect::kDataCenter,
                                           jira_sim::Dialect::kCloud),
                         [](const auto& info) {
                           return info.param == jira_sim::Dialect::kCloud ? "Cloud"
                                                                          : "DataCenter";
                         });

}  // namespace
}  // namespace ferry::e2e
