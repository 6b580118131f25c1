#include "mapping/target_lookup.h"

#include "gtest/gtest.h"

namespace ferry::mapping {
namespace {

ferry::v1::Entity Issue(absl::string_view key, absl::string_view pd_id) {
  ferry::v1::Entity entity;
  entity.set_system("jira-cloud");
  entity.set_id("10002");
  (*entity.mutable_fields())["key"].set_text(std::string(key));
  (*entity.mutable_fields())["customfield_10050"].set_text(std::string(pd_id));
  return entity;
}

TEST(TargetLookupTest, UrlQueryValuesCannotAddParameters) {
  EXPECT_EQ(EscapeQueryValue("a&statuses[]=x y", QueryLanguage::kUrlQuery),
            "a%26statuses%5B%5D%3Dx%20y");
  EXPECT_EQ(EscapeQueryValue("OPS-12_a.b~c", QueryLanguage::kUrlQuery), "OPS-12_a.b~c");
}

TEST(TargetLookupTest, JqlValuesCannotLeaveTheirQuotes) {
  EXPECT_EQ(EscapeQueryValue(R"(say "hi" it's \ok)", QueryLanguage::kJql),
            R"(say \"hi\" it\'s \\ok)");
}

TEST(TargetLookupTest, FillsPlaceholdersWithEscapedValues) {
  absl::StatusOr<std::string> pd = FillLookupQuery(TextTemplate("incident_key=@key@"),
                                                   Issue("OPS 12", "P1"), QueryLanguage::kUrlQuery);
  ASSERT_TRUE(pd.ok());
  EXPECT_EQ(*pd, "incident_key=OPS%2012");
  absl::StatusOr<std::string> jql = FillLookupQuery(
      TextTemplate(R"("PD Id" ~ "@customfield_10050@")"), Issue("OPS-1", R"(Q"1)"),
      QueryLanguage::kJql);
  ASSERT_TRUE(jql.ok());
  EXPECT_EQ(*jql, R"("PD Id" ~ "Q\"1")");
}

TEST(TargetLookupTest, AnEmptyKeyIsRefused) {
  absl::StatusOr<std::string> query =
      FillLookupQuery(TextTemplate("ID=@Remote Id@"), Issue("OPS-1", ""), QueryLanguage::kUrlQuery);
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(query.status().message().find("@Remote Id@"), std::string::npos);
  EXPECT_NE(query.status().message().find("10002"), std::string::npos);
}

}  // namespace
}  // namespace ferry::mapping
