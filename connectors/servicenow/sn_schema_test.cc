#include "connectors/servicenow/sn_schema.h"

#include "connectors/servicenow/sn_query_dialect.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mapping/target_lookup.h"
#include "mapping/text_template.h"
#include "proto/entity.pb.h"

namespace ferry::servicenow {
namespace {

using mapping::FieldType;
using mapping::Writability;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ServiceNowSchemaTest, IncidentFieldsAndTheirWritability) {
  const mapping::SystemSchema& schema = ServiceNowSchema();
  EXPECT_EQ(schema.kind, "servicenow");
  EXPECT_EQ(schema.status_field, "state");
  EXPECT_EQ(schema.FindField("short_description")->max_length, 160u);
  EXPECT_EQ(schema.FindField("number")->writability, Writability::kReadOnly);
  EXPECT_EQ(schema.FindField("correlation_id")->writability, Writability::kReadOnly);
  EXPECT_EQ(schema.FindField("assigned_to")->type, FieldType::kUser);
  EXPECT_THAT(schema.FindField("state")->values,
              ElementsAre("New", "In Progress", "On Hold", "Resolved", "Closed", "Canceled"));
  EXPECT_THAT(schema.FindField("impact")->values, ElementsAre("1 - High", "2 - Medium", "3 - Low"));
}

TEST(ServiceNowSchemaTest, PriorityIsReadOnlyAndItsNoteSaysToMapImpactAndUrgency) {
  const mapping::FieldSpec* priority = ServiceNowSchema().FindField("priority");
  ASSERT_NE(priority, nullptr);
  EXPECT_EQ(priority->writability, Writability::kReadOnly);
  EXPECT_THAT(priority->note, HasSubstr("map to impact and urgency"));
}

TEST(ServiceNowSchemaTest, LabelsAreWrittenAsCodesAndReadBack) {
  EXPECT_EQ(CodeOf("state", "Resolved"), "6");
  EXPECT_EQ(CodeOf("state", "in progress"), "2");
  EXPECT_EQ(CodeOf("state", "7"), "7");  // a code given directly
  EXPECT_EQ(CodeOf("state", "Done"), std::nullopt);
  EXPECT_EQ(CodeOf("urgency", "3 - Low"), "3");
  EXPECT_EQ(CodeOf("hold_reason", "Awaiting Vendor"), "4");
  EXPECT_EQ(CodeOf("close_code", "Solved (Permanently)"), "Solved (Permanently)");
  EXPECT_EQ(LabelOf("state", "8"), "Canceled");
  EXPECT_EQ(LabelOf("priority", "5"), "5 - Planning");
  EXPECT_EQ(LabelOf("state", "101"), "101");  // a customised state stays its code
}

TEST(ServiceNowSchemaTest, CommentsAreThePlainKindAndWorkNotesTheOther) {
  const mapping::SystemSchema& schema = ServiceNowSchema();
  EXPECT_EQ(schema.PlainCommentKind(), "comments");
  EXPECT_TRUE(schema.HasCommentKind("work_notes"));
}

TEST(EncodedQueryDialectTest, ACaretInAValueCannotStartANewTerm) {
  const mapping::SystemSchema& schema = ServiceNowSchema();
  ASSERT_NE(schema.query_dialect, nullptr);
  EXPECT_FALSE(schema.query_dialect->FerryParsesQueries());
  EXPECT_EQ(schema.query_dialect->EscapeValue("a^NQactive=true"), "a^^NQactive=true");
  EXPECT_EQ(schema.query_dialect->DecodeValue("a^^b"), "a^b");
}

TEST(EncodedQueryDialectTest, ATargetLookupFillsAtFieldAtPlaceholdersEscaped) {
  ferry::v1::Entity source;
  (*source.mutable_fields())["Title"].set_text("db-1^ORactive=true");
  (*source.mutable_fields())["Id"].set_text("Q1ABCDEF");
  const auto query = mapping::FillLookupQuery(
      mapping::TextTemplate("short_description=@Title@^correlation_idENDSWITH@Id@"), source,
      ServiceNowSchema().query_dialect.get());
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(*query, "short_description=db-1^^ORactive=true^correlation_idENDSWITHQ1ABCDEF");
}

TEST(EncodedQueryDialectTest, CriteriaAreAndedToThePollQueryUnlessTheyHoldNewQuery) {
  EXPECT_EQ(*AndQuery("sys_updated_on>=2026-12-06 07:00:00", "priority=1^ORpriority=2", "c"),
            "sys_updated_on>=2026-12-06 07:00:00^priority=1^ORpriority=2");
  EXPECT_EQ(*AndQuery("", "active=true", "c"), "active=true");
  EXPECT_EQ(*AndQuery("active=true", "", "c"), "active=true");
  EXPECT_EQ(*AndQuery("x=1", "short_descriptionLIKEa^^NQb", "c"),
            "x=1^short_descriptionLIKEa^^NQb");
  const auto refused = AndQuery("x=1", "priority=1^NQpriority=2", "integrations[0].criteria");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("^OR"));
}

}  // namespace
}  // namespace ferry::servicenow
