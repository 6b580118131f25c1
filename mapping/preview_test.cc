#include "mapping/preview.h"

#include "connectors/jira/jira_schema.h"
#include "connectors/pagerduty/pd_schema.h"
#include "gtest/gtest.h"
#include "mapping/field_value.h"
#include "mapping/testing/test_util.h"

namespace ferry::mapping {
namespace {

using ferry::v1::ChangeEvent;
using ferry::v1::Entity;
using ferry::v1::MappingConfig;

Mapper PdToJira() {
  MapperOptions options;
  options.from_schema = &pagerduty::PagerDutySchema();
  options.to_schema = &jira::JiraSchema();
  options.target_system = "jira-cloud";
  options.criteria = "statuses[]=triggered&statuses[]=acknowledged";
  options.target_lookup = "\"PagerDuty Id\" ~ \"@Id@\"";
  absl::StatusOr<Mapper> mapper = Mapper::Create(ParseText<MappingConfig>(R"pb(
    fields { source: "Title" target: "summary" }
    fields { source: "Description" target: "description" sync_when: SYNC_WHEN_CREATE }
    fields { source: "Status" target: "status"
             value_map { values { key: "triggered" value: "Open" }
                         values { key: "acknowledged" value: "In Progress" } } }
    fields { source: "Priority" target: "priority" })pb"),
                                                 options);
  EXPECT_TRUE(mapper.ok()) << mapper.status();
  return *std::move(mapper);
}

ChangeEvent Acknowledged() {
  return ParseText<ChangeEvent>(R"pb(
    change_id: "R2"
    entity {
      id: "Q1ABCDEF" updated_at { seconds: 2000 }
      fields { key: "Id" value { text: "Q1ABCDEF" } }
      fields { key: "Title" value { text: "Disk full" } }
      fields { key: "Description" value { text: "/var at 99%" } }
      fields { key: "Status" value { lookup { name: "acknowledged" } } }
      fields { key: "Priority" value { lookup { name: "P1" } } }
      comments { id: "N1" kind: "note" body: "old" }
      comments { id: "N2" kind: "note" body: "new" }
    })pb");
}

TEST(PreviewTest, ACreateWritesEveryField) {
  const Preview preview = PreviewChange(PdToJira(), Acknowledged(), TargetSnapshot(),
                                        ferry::v1::CONFLICT_POLICY_SOURCE_WINS, false);
  EXPECT_TRUE(preview.creating);
  EXPECT_EQ(preview.criteria, CriteriaDecision::kSync);
  EXPECT_EQ(preview.target_lookup_query, "\"PagerDuty Id\" ~ \"Q1ABCDEF\"");
  ASSERT_EQ(preview.fields.size(), 4u);
  for (const FieldPreview& field : preview.fields) {
    EXPECT_EQ(field.outcome, FieldOutcome::kWriteCreate) << field.target_field;
  }
  EXPECT_EQ(preview.fields[2].value->lookup().name(), "In Progress");
  ASSERT_EQ(preview.comments.size(), 2u);
  EXPECT_TRUE(preview.comments[0].post);
}

Entity EditedIssue() {
  return ParseText<Entity>(R"pb(
    id: "10002" updated_at { seconds: 3000 }
    fields { key: "summary" value { text: "Disk full" } }
    fields { key: "description" value { text: "edited in Jira" } }
    fields { key: "status" value { lookup { id: "1" name: "Open" } } }
    fields { key: "priority" value { lookup { name: "Low" } } })pb");
}

// Linked to `issue`, with status and priority synced before and comment
// N1 posted.
TargetSnapshot LinkedTo(const Entity& issue) {
  TargetSnapshot target;
  target.entity = &issue;
  target.linked = true;
  target.last_synced["status"] = Fingerprint(LookupName("Open"));
  target.last_synced["priority"] = Fingerprint(LookupName("P2"));
  target.posted_comment_ids = {"N1"};
  return target;
}

TEST(PreviewTest, AnUpdateExplainsEachField) {
  const Entity issue = EditedIssue();
  const Preview preview = PreviewChange(PdToJira(), Acknowledged(), LinkedTo(issue),
                                        ferry::v1::CONFLICT_POLICY_TARGET_WINS, false);
  EXPECT_FALSE(preview.creating);
  ASSERT_EQ(preview.fields.size(), 4u);
  EXPECT_EQ(preview.fields[0].outcome, FieldOutcome::kSkipAlreadyEqual);
  EXPECT_EQ(preview.fields[1].outcome, FieldOutcome::kSkipSyncWhen);
  EXPECT_EQ(preview.fields[2].outcome, FieldOutcome::kWriteChanged);
  // Both changed the priority; Jira's change (t=3000) is newer.
  EXPECT_EQ(preview.fields[3].outcome, FieldOutcome::kSkipConflictTargetWins);
  EXPECT_FALSE(preview.comments[0].post);
  EXPECT_TRUE(preview.comments[1].post);
  const std::string text = PreviewToText(preview);
  EXPECT_NE(text.find("Status → status: \"acknowledged\" → \"In Progress\": written: the source "
                      "value changed"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("comment N1 as comment: skipped: posted before"), std::string::npos);
}

TEST(PreviewTest, UnderNewestWinsTheLinkDecidesAsInTheWriter) {
  // The writer does not read the target before a NEWEST_WINS update, so
  // the preview does not let Jira's current values decide either: the
  // summary already equal and Jira's newer priority are both written.
  const Entity issue = EditedIssue();
  const Preview preview = PreviewChange(PdToJira(), Acknowledged(), LinkedTo(issue),
                                        ferry::v1::CONFLICT_POLICY_NEWEST_WINS, false);
  ASSERT_EQ(preview.fields.size(), 4u);
  EXPECT_EQ(preview.fields[0].outcome, FieldOutcome::kWriteChanged);
  EXPECT_EQ(preview.fields[2].outcome, FieldOutcome::kWriteChanged);
  EXPECT_EQ(preview.fields[3].outcome, FieldOutcome::kWriteChanged);
}

TEST(PreviewTest, ShowsFieldsThatFailAndCriteriaThatSkip) {
  ChangeEvent change = Acknowledged();
  (*change.mutable_entity()->mutable_fields())["Status"].mutable_lookup()->set_name("resolved");
  change.mutable_entity()->mutable_fields()->erase("Id");
  const Preview preview = PreviewChange(PdToJira(), change, TargetSnapshot(),
                                        ferry::v1::CONFLICT_POLICY_SOURCE_WINS, true);
  EXPECT_EQ(preview.criteria, CriteriaDecision::kSkipUnmatched);
  EXPECT_NE(preview.target_lookup_error.find("@Id@"), std::string::npos);
  ASSERT_EQ(preview.fields.size(), 4u);
  EXPECT_FALSE(preview.fields[2].outcome.has_value());
  EXPECT_NE(preview.fields[2].error.find("\"resolved\""), std::string::npos);
  const std::string text = PreviewToText(preview);
  EXPECT_NE(text.find("criteria: does not match the criteria and was never synced"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Status → status: \"resolved\": error: "), std::string::npos) << text;
}

}  // namespace
}  // namespace ferry::mapping
