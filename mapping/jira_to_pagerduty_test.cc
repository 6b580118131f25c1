// Jira issues → PagerDuty incidents, from payloads shaped like Jira Cloud's
// (numeric ids, keys, accountIds, wiki-markup comments).
#include "connectors/jira/jira_schema.h"
#include "connectors/pagerduty/pd_schema.h"
#include "gtest/gtest.h"
#include "mapping/mapper.h"
#include "mapping/testing/test_util.h"

namespace ferry::mapping {
namespace {

constexpr char kMapping[] = R"pb(
  name: "jira-bug-to-pd-incident" source_type: "Bug" target_type: "incident"
  fields { source: "summary" target: "Title" direction: DIRECTION_BOTH
           transform { template: "[@key@] @summary@" } }
  fields { source: "description" target: "Description" sync_when: SYNC_WHEN_CREATE }
  fields { source: "status" target: "Status"
           value_map { values { key: "To Do" value: "triggered" }
                       values { key: "In Progress" value: "acknowledged" }
                       values { key: "In Review" value: "acknowledged" }
                       values { key: "Done" value: "resolved" } } }
  fields { source: "priority" target: "Priority"
           value_map { values { key: "Highest" value: "P1" } values { key: "High" value: "P2" }
                       values { key: "Medium" value: "P3" } values { key: "Low" value: "P4" }
                       values { key: "Lowest" value: "P5" } } }
  fields { source: "key" target: "Incident Key" sync_when: SYNC_WHEN_CREATE }
  fields { source: "assignee" target: "Assignee" }
  fields { source: "customfield_10060" target: "Urgency" }
  comments { }
)pb";

Mapper JiraToPd() {
  MapperOptions options;
  options.from_schema = &jira::JiraSchema();
  options.to_schema = &pagerduty::PagerDutySchema();
  options.target_system = "pd-prod";
  options.target_project = "PIJ90N7";
  options.target_type = "incident";
  absl::StatusOr<Mapper> mapper =
      Mapper::Create(ParseText<ferry::v1::MappingConfig>(kMapping), options);
  EXPECT_TRUE(mapper.ok()) << mapper.status();
  return *std::move(mapper);
}

TEST(JiraToPagerDutyTest, Table) {
  const Mapper mapper = JiraToPd();
  const PairCase cases[] = {
      {"a new issue with a comment",
       R"pb(change_id: "10002@1795966242030" created: true
            entity {
              system: "jira-cloud" project: "OPS" type: "Bug" id: "10002" display_key: "OPS-12"
              url: "https://acme.atlassian.net/browse/OPS-12"
              fields { key: "key" value { text: "OPS-12" } }
              fields { key: "summary" value { text: "Checkout returns HTTP 500" } }
              fields { key: "description" value { text: "h3. Steps\n# Add to cart\n# Pay" } }
              fields { key: "status" value { lookup { id: "10000" name: "To Do" } } }
              fields { key: "priority" value { lookup { id: "2" name: "High" } } }
              fields { key: "assignee" value { user { id: "5b10ac8d82e05b22cc7d4ef5"
                                                      name: "Mia Krystof"
                                                      email: "mia@example.com" } } }
              fields { key: "customfield_10060" value { lookup { id: "10101" name: "high" } } }
              comments { id: "10000" kind: "comment" format: TEXT_FORMAT_JIRA_WIKI
                         author { id: "5b10ac8d82e05b22cc7d4ef5" name: "Mia Krystof" }
                         created_at { seconds: 1795966242 }
                         body: "Restarted the *payments* pod" }
            })pb",
       {{"Title", "[OPS-12] Checkout returns HTTP 500"},
        {"Description", "h3. Steps\n# Add to cart\n# Pay"},
        {"Status", "triggered"},
        {"Priority", "P2"},
        {"Incident Key", "OPS-12"},
        {"Assignee", "Mia Krystof"},
        {"Urgency", "high"}},
       {"Description", "Incident Key"},
       {"Restarted the *payments* pod\n\n— Mia Krystof, 2026-11-29T15:30:42Z"}},
      {"two Jira statuses map to acknowledged",
       R"pb(change_id: "10002@1795966300000"
            entity { id: "10002"
                     fields { key: "status" value { lookup { id: "10002" name: "In Review" } } } })pb",
       {{"Status", "acknowledged"}},
       {},
       {}},
      {"priority and assignee cleared",
       R"pb(change_id: "10002@1795966400000"
            entity { id: "10002"
                     fields { key: "priority" value {} }
                     fields { key: "assignee" value {} } })pb",
       {{"Priority", "(clear)"}, {"Assignee", "(clear)"}},
       {},
       {}},
      {"a comment without an id cannot be written once and is left out",
       R"pb(change_id: "10002@1795966500000"
            entity { id: "10002" comments { kind: "comment" body: "draft" } })pb",
       {},
       {},
       {}},
      {"a workflow status the map does not list fails with its name",
       R"pb(change_id: "10002@1795966600000"
            entity { system: "jira-cloud" id: "10002"
                     fields { key: "status" value { lookup { id: "10400" name: "Blocked" } } } })pb",
       {},
       {},
       {},
       "value \"Blocked\" has no value_map entry"},
  };
  for (const PairCase& row : cases) ExpectPairCase(mapper, row);
}

TEST(JiraToPagerDutyTest, CommentsBecomeNotesOnTheIncident) {
  absl::StatusOr<ferry::v1::WriteIntent> intent = JiraToPd().Map(ParseText<ferry::v1::ChangeEvent>(
      R"pb(entity { comments { id: "10001" kind: "comment" body: "ok" } })pb"));
  ASSERT_TRUE(intent.ok());
  ASSERT_EQ(intent->comments_size(), 1);
  EXPECT_EQ(intent->comments(0).kind(), "note");
  EXPECT_EQ(intent->comments(0).source_comment_id(), "10001");
}

}  // namespace
}  // namespace ferry::mapping
