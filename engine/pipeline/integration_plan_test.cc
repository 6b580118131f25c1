#include "engine/pipeline/integration_plan.h"

#include "gtest/gtest.h"
#include "mapping/testing/test_util.h"

namespace ferry::engine {
namespace {

constexpr char kConfig[] = R"pb(
  systems { name: "pd" kind: "pagerduty" url: "https://api.pagerduty.com" }
  systems { name: "jira" kind: "jira" url: "https://example.atlassian.net" }
  mappings {
    name: "m" source_type: "incident" target_type: "Bug"
    fields { source: "Title" target: "summary" direction: DIRECTION_BOTH }
  }
  integrations {
    name: "pd-jira" mapping: "m" direction: DIRECTION_BOTH
    source { system: "pd" projects: "PSVC1" }
    target { system: "jira" projects: "OPS" }
    criteria { query: "statuses[]=triggered&statuses[]=acknowledged" }
    target_criteria { query: "labels = pd OR priority = High" }
  }
)pb";

ferry::v1::Entity Incident(const std::string& status) {
  return mapping::ParseText<ferry::v1::Entity>(
      "system: 'pd' project: 'PSVC1' type: 'incident' id: 'P1' "
      "fields { key: 'Status' value { lookup { name: '" + status + "' } } }");
}

TEST(IntegrationPlanTest, CriteriaFerryCanEvaluateGoToTheMapperNotTheReader) {
  const auto config = mapping::ParseText<ferry::v1::FerryConfig>(kConfig);
  auto plan = PlanIntegration(config, config.integrations(0));
  ASSERT_TRUE(plan.ok()) << plan.status();
  // The reader reads every change, so a linked incident that is resolved
  // (and so stops matching) still reaches the writer, which keeps it in
  // sync unless stop_when_unmatched.
  EXPECT_EQ((*plan)->source_reader_criteria, "");
  EXPECT_TRUE((*plan)->forward->MatchesCriteria(Incident("triggered")));
  EXPECT_FALSE((*plan)->forward->MatchesCriteria(Incident("resolved")));
}

TEST(IntegrationPlanTest, CriteriaOnlyTheApiCanEvaluateGoToTheReader) {
  const auto config = mapping::ParseText<ferry::v1::FerryConfig>(kConfig);
  auto plan = PlanIntegration(config, config.integrations(0));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ((*plan)->target_reader_criteria, "labels = pd OR priority = High");
}

}  // namespace
}  // namespace ferry::engine
