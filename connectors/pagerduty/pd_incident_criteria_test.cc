#include "connectors/pagerduty/pd_incident_criteria.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

using ::testing::HasSubstr;

nlohmann::json Incident(const std::string& status, const std::string& urgency,
                        const std::string& priority_id) {
  nlohmann::json incident = {{"id", "PINC001"}, {"status", status}, {"urgency", urgency},
                             {"incident_key", "disk-1"}};
  if (!priority_id.empty()) {
    incident["priority"] = {{"id", priority_id}, {"type", "priority_reference"}};
  }
  return incident;
}

TEST(IncidentCriteriaTest, NoCriteriaMatchEveryIncident) {
  auto criteria = IncidentCriteria::Parse("");
  ASSERT_TRUE(criteria.ok()) << criteria.status();
  EXPECT_TRUE(criteria->Matches(Incident("resolved", "low", "")));
  EXPECT_TRUE(criteria->Matches(nlohmann::json::object()));
}

TEST(IncidentCriteriaTest, ValuesOfOneParameterAreAlternatives) {
  auto criteria = IncidentCriteria::Parse("statuses[]=triggered&statuses[]=acknowledged");
  ASSERT_TRUE(criteria.ok()) << criteria.status();
  EXPECT_TRUE(criteria->Matches(Incident("triggered", "low", "")));
  EXPECT_TRUE(criteria->Matches(Incident("acknowledged", "low", "")));
  EXPECT_FALSE(criteria->Matches(Incident("resolved", "low", "")));
}

TEST(IncidentCriteriaTest, EveryParameterMustMatch) {
  auto criteria =
      IncidentCriteria::Parse("urgencies[]=high&priority_ids[]=PPRIO1&incident_key=disk-1");
  ASSERT_TRUE(criteria.ok()) << criteria.status();
  EXPECT_TRUE(criteria->Matches(Incident("triggered", "high", "PPRIO1")));
  EXPECT_FALSE(criteria->Matches(Incident("triggered", "low", "PPRIO1")));
  // Priorities are matched by the reference's id; none set is no match.
  EXPECT_FALSE(criteria->Matches(Incident("triggered", "high", "PPRIO2")));
  EXPECT_FALSE(criteria->Matches(Incident("triggered", "high", "")));
}

TEST(IncidentCriteriaTest, UnknownParametersAreRefusedWithTheKnownOnes) {
  for (const char* bad : {"title=x", "statuses[]", "statuses[]=triggered&service_ids[]=P1"}) {
    auto refused = IncidentCriteria::Parse(bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr("statuses[]")) << bad;
  }
}

}  // namespace
}  // namespace ferry::pagerduty
