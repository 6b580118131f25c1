#include "connectors/pagerduty/pd_schema.h"

#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

using mapping::FieldSpec;
using mapping::FieldType;
using mapping::Writability;

TEST(PagerDutySchemaTest, IdentityFieldsAreNotWritable) {
  const mapping::SystemSchema& pd = PagerDutySchema();
  EXPECT_EQ(pd.kind, "pagerduty");
  EXPECT_EQ(pd.FindField("Incident Key")->writability, Writability::kCreateOnly);
  EXPECT_EQ(pd.FindField("Number")->writability, Writability::kReadOnly);
  EXPECT_EQ(pd.FindField("Id")->writability, Writability::kReadOnly);
  EXPECT_EQ(pd.FindField("Description")->writability, Writability::kCreateOnly);
  EXPECT_EQ(pd.FindField("Title")->writability, Writability::kWritable);
  EXPECT_EQ(pd.FindField("Number")->type, FieldType::kNumber);
  EXPECT_EQ(pd.FindField("Assignee")->type, FieldType::kUser);
}

TEST(PagerDutySchemaTest, ConferenceFieldsCannotBeUnset) {
  const mapping::SystemSchema& pd = PagerDutySchema();
  EXPECT_EQ(pd.CannotClear("Conference Number"), "PagerDuty cannot unset it");
  EXPECT_EQ(pd.CannotClear("Conference URL"), "PagerDuty cannot unset it");
  EXPECT_EQ(pd.CannotClear("Priority"), "PagerDuty documents no way to unset it");
  EXPECT_EQ(pd.CannotClear("Title"), "");
}

TEST(PagerDutySchemaTest, StatusesAndForbiddenTransition) {
  const mapping::SystemSchema& pd = PagerDutySchema();
  const FieldSpec* status = pd.FindField(pd.status_field);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->values, (std::vector<std::string>{"triggered", "acknowledged", "resolved"}));
  ASSERT_EQ(pd.forbidden_transitions.size(), 1u);
  EXPECT_EQ(pd.forbidden_transitions[0],
            (std::pair<std::string, std::string>{"acknowledged", "triggered"}));
}

TEST(PagerDutySchemaTest, QueryParamsNameTheirFields) {
  const mapping::SystemSchema& pd = PagerDutySchema();
  EXPECT_EQ(pd.FieldOfQueryParam("statuses"), "Status");
  EXPECT_EQ(pd.FieldOfQueryParam("incident_key"), "Incident Key");
  EXPECT_TRUE(pd.FieldOfQueryParam("title").empty());
  ASSERT_NE(pd.query_dialect, nullptr);
  EXPECT_TRUE(pd.query_dialect->FerryParsesQueries());
  EXPECT_EQ(pd.query_dialect->EscapeValue("a&b"), "a%26b");
}

TEST(PagerDutySchemaTest, NotesArePlainCommentsAndStatusUpdatesTheOtherKind) {
  const mapping::SystemSchema& pd = PagerDutySchema();
  EXPECT_EQ(pd.PlainCommentKind(), "note");
  EXPECT_TRUE(pd.HasCommentKind("status_update"));
  EXPECT_FALSE(pd.HasCommentKind("comment"));
}

}  // namespace
}  // namespace ferry::pagerduty
