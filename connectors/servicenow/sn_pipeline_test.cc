// One sync of PagerDuty ⇄ ServiceNow through the real pipeline (ferryd's
// embedded mode: reader, transformer and writer stages, RocksDB state),
// between the PagerDuty and ServiceNow simulators: incidents, fields and
// comments arrive both ways, and a few more polls make no duplicate.
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "connectors/servicenow/testing/simulated_servicenow.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/embedded_pipeline.h"
#include "tests/support/pagerduty_pipeline.h"

namespace ferry::servicenow {
namespace {

using json = nlohmann::json;

constexpr char kConfig[] = R"(
systems:
  - name: pd
    kind: pagerduty
    url: "http://127.0.0.1:@PD_PORT@"
    token: {env: FERRY_TEST_PD_TOKEN}
    user_email: ferry-bot@example.com
    requests_per_minute: 100000
  - name: sn
    kind: servicenow
    url: "http://127.0.0.1:@SN_PORT@"
    username: ferry
    token: {env: FERRY_SN_PIPELINE_SN_PASSWORD}
mappings:
  - name: pd-incident-to-sn-incident
    source_type: incident
    target_type: incident
    fields:
      - {source: Title, target: short_description, direction: BOTH}
      - source: Status
        target: state
        direction: FORWARD
        value_map:
          values: {triggered: New, acknowledged: In Progress, resolved: Resolved}
    comments: {direction: BOTH}
integrations:
  - name: pd-sn
    source: {system: pd, projects: [PSVCWEB]}
    target: {system: sn, projects: [incident]}
    mapping: pd-incident-to-sn-incident
    direction: BOTH
    poll_interval: 1s
server:
  state_dir: "@DIR@/state"
)";

class ServiceNowPipelineTest : public testing::PagerDutyPipelineTest {
 protected:
  void SetUp() override {
    PagerDutyPipelineTest::SetUp();
    setenv("FERRY_SN_PIPELINE_SN_PASSWORD", servicenow_.token().c_str(), 1);
    StartPipeline(kConfig, "sn_pipeline",
                  {{"@SN_PORT@", std::to_string(servicenow_.sim().port())}});
  }

  json Incidents() { return servicenow_.Rows("incident", "ORDERBYsys_created_on"); }

  int JournalContaining(const std::string& sys_id, const std::string& text) {
    int count = 0;
    for (const json& entry : servicenow_.Rows("sys_journal_field", "element_id=" + sys_id)) {
      count += absl::StrContains(entry.value("value", ""), text);
    }
    return count;
  }

  SimulatedServiceNow servicenow_;
};

TEST_F(ServiceNowPipelineTest, SyncsWithPagerDutyBothWaysWithoutDuplicates) {
  // PagerDuty → ServiceNow: a new incident becomes an incident, its note a
  // comment.
  const std::string incident = NewIncident("Printer on fire");
  ASSERT_TRUE(testing::WaitUntil([&] { return Incidents().size() == 1; })) << "no incident was created";
  json created = Incidents()[0];
  const std::string sys_id = created.value("sys_id", "");
  EXPECT_EQ(created.value("short_description", ""), "Printer on fire");
  EXPECT_EQ(created.value("state", ""), "1");
  EXPECT_EQ(created.value("sys_created_by", ""), "ferry");
  EXPECT_FALSE(created.value("correlation_id", "").empty());
  ASSERT_TRUE(Call("POST", "/incidents/" + incident + "/notes", "account-full",
                   {{"note", {{"content", "Toner everywhere"}}}}, "ada@example.com"));
  ASSERT_TRUE(testing::WaitUntil([&] { return JournalContaining(sys_id, "Toner everywhere") > 0; }));

  // ServiceNow → PagerDuty: a person retitles the incident and comments.
  servicenow_.As("admin", "PATCH", "/incident/" + sys_id, {{"short_description", "Printer fixed"}});
  servicenow_.As("admin", "PATCH", "/incident/" + sys_id, {{"comments", "Replaced the toner"}});
  ASSERT_TRUE(testing::WaitUntil([&] { return Title(incident) == "Printer fixed"; }));
  ASSERT_TRUE(testing::WaitUntil([&] { return NotesContaining(incident, "Replaced the toner") > 0; }));

  // PagerDuty resolves: the incident is resolved, its close fields filled.
  ASSERT_TRUE(Update(incident, {{"type", "incident_reference"}, {"status", "resolved"}}));
  ASSERT_TRUE(testing::WaitUntil([&] { return Incidents()[0].value("state", "") == "6"; }));
  EXPECT_FALSE(Incidents()[0].value("close_code", "").empty());

  // A few more polls change nothing: one incident, each comment once.
  absl::SleepFor(absl::Seconds(3));
  const json incidents = Incidents();
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].value("short_description", ""), "Printer fixed");
  EXPECT_EQ(JournalContaining(sys_id, "Toner everywhere"), 1);
  EXPECT_EQ(JournalContaining(sys_id, "Replaced the toner"), 1);  // the person's own
  EXPECT_EQ(NotesContaining(incident, "Replaced the toner"), 1);
  EXPECT_EQ(NotesContaining(incident, "Toner everywhere"), 1);
  EXPECT_EQ(Title(incident), "Printer fixed");
}

}  // namespace
}  // namespace ferry::servicenow
