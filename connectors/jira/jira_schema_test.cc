#include "connectors/jira/jira_schema.h"

#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using mapping::FieldType;
using mapping::Writability;

TEST(JiraSchemaTest, CustomFieldsFollowThePattern) {
  const mapping::SystemSchema& jira = JiraSchema();
  EXPECT_EQ(jira.kind, "jira");
  const mapping::FieldSpec* custom = jira.FindField("customfield_10010");
  ASSERT_NE(custom, nullptr);
  EXPECT_EQ(custom->type, FieldType::kAny);
  EXPECT_EQ(jira.FindField("customfield_"), nullptr);
  EXPECT_EQ(jira.FindField("customfield_10a"), nullptr);
  EXPECT_EQ(jira.FindField("Summary"), nullptr);  // field ids are case-sensitive
  EXPECT_EQ(jira.FindField("summary")->max_length, 255u);
  EXPECT_EQ(jira.FindField("key")->writability, Writability::kReadOnly);
}

TEST(JiraSchemaTest, FieldNamesListsEveryFieldAndThePattern) {
  const std::string names = JiraSchema().FieldNames();
  EXPECT_NE(names.find("summary, description"), std::string::npos);
  EXPECT_NE(names.find("customfield_NNNNN"), std::string::npos);
}

TEST(JiraSchemaTest, JqlIsJirasToParseAndCommentsAreOneKind) {
  const mapping::SystemSchema& jira = JiraSchema();
  ASSERT_NE(jira.query_dialect, nullptr);
  EXPECT_FALSE(jira.query_dialect->FerryParsesQueries());
  EXPECT_EQ(jira.comment_kinds, std::vector<std::string>{"comment"});
}

}  // namespace
}  // namespace ferry::jira
