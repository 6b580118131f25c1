// PagerDuty incidents → Jira issues, from payloads shaped like PagerDuty's
// own (ids, numbers, notes as GET /incidents/{id} and /notes return them).
#include "connectors/jira/jira_schema.h"
#include "connectors/pagerduty/pd_schema.h"
#include "gtest/gtest.h"
#include "mapping/mapper.h"
#include "mapping/testing/test_util.h"

namespace ferry::mapping {
namespace {

constexpr char kMapping[] = R"pb(
  name: "pd-incident-to-jira-bug" source_type: "incident" target_type: "Bug"
  fields { source: "Title" target: "summary" direction: DIRECTION_BOTH }
  fields { source: "Description" target: "description" sync_when: SYNC_WHEN_CREATE }
  fields { source: "Status" target: "status" direction: DIRECTION_BOTH
           value_map { values { key: "triggered" value: "Open" }
                       values { key: "acknowledged" value: "In Progress" }
                       values { key: "resolved" value: "Done" } } }
  fields { source: "Priority" target: "priority"
           value_map { values { key: "P1" value: "Highest" } values { key: "P2" value: "High" }
                       values { key: "P3" value: "Medium" } values { key: "P4" value: "Low" }
                       values { key: "P5" value: "Lowest" } default_value: "Medium" } }
  fields { source: "Urgency" target: "labels" transform { prefix: "pd-urgency-" } }
  fields { source: "Assignee" target: "assignee" direction: DIRECTION_BOTH }
  fields { source: "Number" target: "customfield_10051" }
  fields { source: "Conference URL" target: "customfield_10052" }
  fields { source: "Incident Key" target: "customfield_10053" sync_when: SYNC_WHEN_CREATE }
  comments { direction: DIRECTION_BOTH template: "[PagerDuty] @Author@ at @Time@:\n@Body@" }
)pb";

Mapper PdToJira() {
  MapperOptions options;
  options.from_schema = &pagerduty::PagerDutySchema();
  options.to_schema = &jira::JiraSchema();
  options.target_system = "jira-cloud";
  options.target_project = "OPS";
  options.target_type = "Bug";
  absl::StatusOr<Mapper> mapper =
      Mapper::Create(ParseText<ferry::v1::MappingConfig>(kMapping), options);
  EXPECT_TRUE(mapper.ok()) << mapper.status();
  return *std::move(mapper);
}

TEST(PagerDutyToJiraTest, Table) {
  const Mapper mapper = PdToJira();
  const PairCase cases[] = {
      {"a triggered incident with a note",
       R"pb(change_id: "R3Q8Z5BRK0T1BQ" created: true
            entity {
              system: "pd-prod" project: "PIJ90N7" type: "incident" id: "PT4KHLK"
              display_key: "#1234" url: "https://acme.pagerduty.com/incidents/PT4KHLK"
              fields { key: "Title" value { text: "The server is on fire." } }
              fields { key: "Description" value { text: "CPU at 100% on web-03 since 14:02 UTC" } }
              fields { key: "Status" value { lookup { name: "triggered" } } }
              fields { key: "Priority" value { lookup { id: "P53ZZH5" name: "P1" } } }
              fields { key: "Urgency" value { lookup { name: "high" } } }
              fields { key: "Assignee" value { user { id: "PXPGF42" name: "Earline Greenholt"
                                                      email: "earline@example.com" } } }
              fields { key: "Number" value { number: 1234 } }
              fields { key: "Conference URL" value { text: "https://zoom.us/j/1000000001" } }
              fields { key: "Incident Key" value { text: "baf7cf21b1da41b4b0221008339ff357" } }
              comments { id: "PWL7QXS" kind: "note" format: TEXT_FORMAT_MARKDOWN
                         author { id: "PXPGF42" name: "Earline Greenholt" }
                         created_at { seconds: 1795966242 }
                         body: "Firefighters are on the scene." }
            })pb",
       {{"summary", "The server is on fire."},
        {"description", "CPU at 100% on web-03 since 14:02 UTC"},
        {"status", "Open"},
        {"priority", "Highest"},
        {"labels", "pd-urgency-high"},
        {"assignee", "Earline Greenholt"},
        {"customfield_10051", "1234"},
        {"customfield_10052", "https://zoom.us/j/1000000001"},
        {"customfield_10053", "baf7cf21b1da41b4b0221008339ff357"}},
       {"description", "customfield_10053"},
       {"[PagerDuty] Earline Greenholt at 2026-11-29T15:30:42Z:\nFirefighters are on the scene."}},
      {"acknowledged, with a priority the map does not list",
       R"pb(change_id: "R1F4D3JWW3XUAO"
            entity {
              id: "PT4KHLK"
              fields { key: "Status" value { lookup { name: "acknowledged" } } }
              fields { key: "Priority" value { lookup { id: "PSEV0" name: "SEV-0" } } }
            })pb",
       {{"status", "In Progress"}, {"priority", "Medium"}},
       {},
       {}},
      {"resolved: PagerDuty empties the assignments",
       R"pb(change_id: "R2W0ZX4D8RV7PN"
            entity {
              id: "PT4KHLK"
              fields { key: "Status" value { lookup { name: "resolved" } } }
              fields { key: "Assignee" value {} }
              fields { key: "Conference URL" value {} }
            })pb",
       {{"status", "Done"}, {"assignee", "(clear)"}, {"customfield_10052", "(clear)"}},
       {},
       {}},
      {"status updates are not comments unless the mapping says so",
       R"pb(change_id: "R0QK7NN8X6D2H3"
            entity {
              id: "PT4KHLK"
              comments { id: "PSU1" kind: "status_update" body: "Customers see errors" }
            })pb",
       {},
       {},
       {}},
      {"a very long title is cut to Jira's 255 characters",
       R"pb(change_id: "R9"
            entity { id: "PT4KHLK"
              fields { key: "Title" value { text: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABBBBB" } } })pb",
       {{"summary", std::string(255, 'A')}},
       {},
       {}},
      {"a status PagerDuty added later fails with its name",
       R"pb(change_id: "R8"
            entity { system: "pd-prod" id: "PT4KHLK"
                     fields { key: "Status" value { lookup { name: "snoozed" } } } })pb",
       {},
       {},
       {},
       "value \"snoozed\" has no value_map entry"},
  };
  for (const PairCase& row : cases) ExpectPairCase(mapper, row);
}

}  // namespace
}  // namespace ferry::mapping
