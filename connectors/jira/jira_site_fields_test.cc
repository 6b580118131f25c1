#include "connectors/jira/jira_site_fields.h"

#include "connectors/jira/testing/simulated_jira.h"
#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

class JiraSiteFieldsTest : public ::testing::TestWithParam<jira_sim::Dialect> {};

// The fixture's custom fields, by id with their names; no system field.
TEST_P(JiraSiteFieldsTest, CustomFieldsByIdAndName) {
  SimulatedJira jira(GetParam());
  auto fields = SiteCustomFields(jira.api());
  ASSERT_TRUE(fields.ok()) << fields.status();
  ASSERT_EQ(fields->size(), 3u);
  EXPECT_EQ((*fields)[0].name, "customfield_10010");
  EXPECT_EQ((*fields)[0].note, "PagerDuty Incident");
  EXPECT_EQ((*fields)[0].type, mapping::FieldType::kText);
  EXPECT_EQ((*fields)[0].writability, mapping::Writability::kWritable);
  EXPECT_EQ((*fields)[1].name, "customfield_10011");
  EXPECT_EQ((*fields)[1].note, "Impact");
  EXPECT_EQ((*fields)[2].name, "customfield_10012");
  EXPECT_EQ((*fields)[2].note, "Root cause");
}

INSTANTIATE_TEST_SUITE_P(BothDeployments, JiraSiteFieldsTest, BothDialects(), DialectName);

}  // namespace
}  // namespace ferry::jira
