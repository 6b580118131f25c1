#include "mapping/target_lookup.h"

#include "connectors/query/jql_dialect.h"
#include "connectors/query/url_query_dialect.h"
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

TEST(TargetLookupTest, FillsPlaceholdersWithValuesEscapedByTheDialect) {
  const query::UrlQueryDialect url;
  absl::StatusOr<std::string> pd =
      FillLookupQuery(TextTemplate("incident_key=@key@"), Issue("OPS 12", "P1"), &url);
  ASSERT_TRUE(pd.ok());
  EXPECT_EQ(*pd, "incident_key=OPS%2012");
  const query::JqlDialect jql;
  absl::StatusOr<std::string> filled = FillLookupQuery(
      TextTemplate(R"("PD Id" ~ "@customfield_10050@")"), Issue("OPS-1", R"(Q"1)"), &jql);
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(*filled, R"("PD Id" ~ "Q\"1")");
}

TEST(TargetLookupTest, WithoutADialectValuesGoInAsTheyAre) {
  absl::StatusOr<std::string> filled =
      FillLookupQuery(TextTemplate("Key=@key@"), Issue("OPS 12", "P1"), nullptr);
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(*filled, "Key=OPS 12");
}

TEST(TargetLookupTest, AnEmptyKeyIsRefused) {
  const query::UrlQueryDialect url;
  absl::StatusOr<std::string> query =
      FillLookupQuery(TextTemplate("ID=@Remote Id@"), Issue("OPS-1", ""), &url);
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(query.status().message().find("@Remote Id@"), std::string::npos);
  EXPECT_NE(query.status().message().find("10002"), std::string::npos);
}

}  // namespace
}  // namespace ferry::mapping
