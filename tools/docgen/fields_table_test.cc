#include "tools/docgen/fields_table.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::docgen {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

mapping::SystemSchema Schema() {
  mapping::SystemSchema schema;
  schema.kind = "demo";
  schema.fields = {
      {"Title", mapping::FieldType::kText, mapping::Writability::kWritable, 255, {}, "a | b"},
      {"Status", mapping::FieldType::kLookup, mapping::Writability::kWritable, 0,
       {"open", "closed"}, ""},
      {"Key", mapping::FieldType::kText, mapping::Writability::kCreateOnly, 0, {}, ""},
      {"Id", mapping::FieldType::kText, mapping::Writability::kReadOnly, 0, {}, ""},
  };
  schema.status_field = "Status";
  schema.forbidden_transitions = {{"closed", "open"}};
  schema.comment_kinds = {"note"};
  return schema;
}

TEST(FieldsTableTest, OneRowPerFieldWithWhoWritesIt) {
  const std::string table = FieldsTable(Schema().fields);
  EXPECT_THAT(table, HasSubstr("| `Title` | text | source or target |  | a \\| b; at most "
                               "255 characters |\n"));
  EXPECT_THAT(table, HasSubstr("| `Status` | lookup | source or target | open, closed |  |\n"));
  EXPECT_THAT(table, HasSubstr("| `Key` | text | target on create only"));
  EXPECT_THAT(table, HasSubstr("| `Id` | text | source only (read-only)"));
}

TEST(FieldsTableTest, SchemaReferenceNamesStatusRulesAndSiteFields) {
  mapping::SystemSchema schema = Schema();
  const std::string generic = SchemaReference(schema, {});
  EXPECT_THAT(generic, HasSubstr("The status field is `Status`."));
  EXPECT_THAT(generic, HasSubstr("`closed` → `open`"));
  EXPECT_THAT(generic, HasSubstr("Comment kinds: `note`"));
  EXPECT_THAT(generic, Not(HasSubstr("Custom fields")));

  schema.custom_field_prefix = "customfield_";
  schema.custom_field = {"customfield_NNNNN", mapping::FieldType::kAny,
                         mapping::Writability::kWritable, 0, {}, ""};
  EXPECT_THAT(SchemaReference(schema, {}), HasSubstr("`ferryctl fields <system>"));
  const std::string site = SchemaReference(
      schema, {{"customfield_10010", mapping::FieldType::kText,
                mapping::Writability::kWritable, 0, {}, "PagerDuty Incident"}});
  EXPECT_THAT(site, HasSubstr("This site's:"));
  EXPECT_THAT(site, HasSubstr("| `customfield_10010` | text | source or target |  | "
                              "PagerDuty Incident |"));
}

}  // namespace
}  // namespace ferry::docgen
