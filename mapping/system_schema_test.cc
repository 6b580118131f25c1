#include "mapping/system_schema.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::mapping {
namespace {

SystemSchema TestSchema(std::string kind) {
  SystemSchema schema;
  schema.kind = std::move(kind);
  schema.fields = {{"Title", FieldType::kText, Writability::kWritable, 10, {}, ""},
                   {"Key", FieldType::kText, Writability::kReadOnly, 0, {}, ""}};
  schema.custom_field_prefix = "cf_";
  schema.custom_field = {"cf_NNN", FieldType::kAny, Writability::kWritable, 0, {}, ""};
  schema.query_params = {{"titles", "Title"}};
  schema.comment_kinds = {"note", "update"};
  return schema;
}

TEST(SystemSchemaTest, FindsFieldsAndCustomFieldsByPattern) {
  const SystemSchema schema = TestSchema("t");
  EXPECT_EQ(schema.FindField("Title")->max_length, 10u);
  EXPECT_EQ(schema.FindField("cf_12")->type, FieldType::kAny);
  EXPECT_EQ(schema.FindField("cf_"), nullptr);
  EXPECT_EQ(schema.FindField("cf_1a"), nullptr);
  EXPECT_EQ(schema.FindField("title"), nullptr);  // names are case-sensitive
  EXPECT_EQ(schema.FieldNames(), "Title, Key, cf_NNN");
  EXPECT_EQ(schema.FieldOfQueryParam("titles"), "Title");
  EXPECT_TRUE(schema.FieldOfQueryParam("keys").empty());
}

TEST(SystemSchemaTest, TheFirstCommentKindIsThePlainOne) {
  const SystemSchema schema = TestSchema("t");
  EXPECT_EQ(schema.PlainCommentKind(), "note");
  EXPECT_TRUE(schema.HasCommentKind("update"));
  EXPECT_FALSE(schema.HasCommentKind("comment"));
  EXPECT_EQ(SystemSchema().PlainCommentKind(), "comment");
}

TEST(RegisterSystemSchemaTest, RegisteredKindIsFound) {
  EXPECT_EQ(FindSystemSchema("schema-test"), nullptr);
  RegisterSystemSchema(TestSchema("schema-test"));
  const SystemSchema* found = FindSystemSchema("schema-test");
  ASSERT_NE(found, nullptr);
  ASSERT_NE(found->FindField("Title"), nullptr);
  EXPECT_EQ(found->FindField("Title")->max_length, 10u);
  EXPECT_THAT(SystemSchemaKinds(), ::testing::Contains("schema-test"));
}

TEST(RegisterSystemSchemaDeathTest, RegisteringAKindTwiceAborts) {
  EXPECT_DEATH(
      {
        RegisterSystemSchema(TestSchema("twice"));
        RegisterSystemSchema(TestSchema("twice"));
      },
      "system schema 'twice' is registered twice");
}

}  // namespace
}  // namespace ferry::mapping
