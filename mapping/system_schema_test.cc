#include "mapping/system_schema.h"

#include "gtest/gtest.h"

namespace ferry::mapping {
namespace {

TEST(SystemSchemaTest, FindsBuiltInKindsOnly) {
  ASSERT_NE(FindSystemSchema("pagerduty"), nullptr);
  ASSERT_NE(FindSystemSchema("jira"), nullptr);
  EXPECT_EQ(FindSystemSchema("servicenow"), nullptr);
  EXPECT_EQ(FindSystemSchema("pagerduty")->kind, "pagerduty");
}

TEST(SystemSchemaTest, PagerDutyIdentityFieldsAreNotWritable) {
  const SystemSchema& pd = *FindSystemSchema("pagerduty");
  EXPECT_EQ(pd.FindField("Incident Key")->writability, Writability::kCreateOnly);
  EXPECT_EQ(pd.FindField("Number")->writability, Writability::kReadOnly);
  EXPECT_EQ(pd.FindField("Id")->writability, Writability::kReadOnly);
  EXPECT_EQ(pd.FindField("Description")->writability, Writability::kCreateOnly);
  EXPECT_EQ(pd.FindField("Title")->writability, Writability::kWritable);
  EXPECT_EQ(pd.FindField("Number")->type, FieldType::kNumber);
  EXPECT_EQ(pd.FindField("Assignee")->type, FieldType::kUser);
}

TEST(SystemSchemaTest, PagerDutyStatusesAndForbiddenTransition) {
  const SystemSchema& pd = *FindSystemSchema("pagerduty");
  const FieldSpec* status = pd.FindField(pd.status_field);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->values,
            (std::vector<std::string>{"triggered", "acknowledged", "resolved"}));
  ASSERT_EQ(pd.forbidden_transitions.size(), 1u);
  EXPECT_EQ(pd.forbidden_transitions[0],
            (std::pair<std::string, std::string>{"acknowledged", "triggered"}));
}

TEST(SystemSchemaTest, JiraCustomFieldsFollowThePattern) {
  const SystemSchema& jira = *FindSystemSchema("jira");
  const FieldSpec* custom = jira.FindField("customfield_10010");
  ASSERT_NE(custom, nullptr);
  EXPECT_EQ(custom->type, FieldType::kAny);
  EXPECT_EQ(jira.FindField("customfield_"), nullptr);
  EXPECT_EQ(jira.FindField("customfield_10a"), nullptr);
  EXPECT_EQ(jira.FindField("Summary"), nullptr);  // field ids are case-sensitive
  EXPECT_EQ(jira.FindField("summary")->max_length, 255u);
  EXPECT_EQ(jira.FindField("key")->writability, Writability::kReadOnly);
}

TEST(SystemSchemaTest, QueryParamsNameTheirFields) {
  const SystemSchema& pd = *FindSystemSchema("pagerduty");
  EXPECT_EQ(pd.FieldOfQueryParam("statuses"), "Status");
  EXPECT_EQ(pd.FieldOfQueryParam("incident_key"), "Incident Key");
  EXPECT_TRUE(pd.FieldOfQueryParam("title").empty());
}

TEST(SystemSchemaTest, FieldNamesListsEveryFieldAndThePattern) {
  const std::string names = FindSystemSchema("jira")->FieldNames();
  EXPECT_NE(names.find("summary, description"), std::string::npos);
  EXPECT_NE(names.find("customfield_NNNNN"), std::string::npos);
}

}  // namespace
}  // namespace ferry::mapping

namespace ferry::mapping {
namespace {

TEST(RegisterSystemSchemaTest, RegisteredKindIsFound) {
  SystemSchema schema;
  schema.kind = "schema-test";
  schema.fields = {{"Title", FieldType::kText, Writability::kWritable, 10, {}, ""}};
  RegisterSystemSchema(schema);
  const SystemSchema* found = FindSystemSchema("schema-test");
  ASSERT_NE(found, nullptr);
  ASSERT_NE(found->FindField("Title"), nullptr);
  EXPECT_EQ(found->FindField("Title")->max_length, 10u);
}

TEST(RegisterSystemSchemaDeathTest, RegisteringABuiltInKindAborts) {
  SystemSchema schema;
  schema.kind = "jira";
  EXPECT_DEATH(RegisterSystemSchema(schema), "system schema 'jira' is registered twice");
}

}  // namespace
}  // namespace ferry::mapping
