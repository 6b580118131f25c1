#include "connectors/pagerduty/pd_incident_bodies.h"

#include <string>

#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

nlohmann::json Body(const std::string& details) {
  return {{"type", "incident_body"}, {"details", details}};
}

TEST(IncidentBodiesTest, ABodyOnceSeenIsFound) {
  IncidentBodies bodies;
  EXPECT_EQ(bodies.Find("Q1"), std::nullopt);
  bodies.Remember("Q1", Body("disk full"));
  ASSERT_NE(bodies.Find("Q1"), std::nullopt);
  EXPECT_EQ(*bodies.Find("Q1"), Body("disk full"));
  bodies.Remember("Q1", Body("disk full on web-1"));
  EXPECT_EQ(*bodies.Find("Q1"), Body("disk full on web-1"));
}

TEST(IncidentBodiesTest, TheFirstRememberedAreForgottenBeyondTheBound) {
  // Room for about three bodies of this size.
  const std::string details(200, 'x');
  IncidentBodies bodies(3 * (Body(details).dump().size() + 128));
  for (const char* id : {"Q1", "Q2", "Q3", "Q4"}) bodies.Remember(id, Body(details));
  EXPECT_EQ(bodies.Find("Q1"), std::nullopt);
  for (const char* id : {"Q2", "Q3", "Q4"}) EXPECT_NE(bodies.Find(id), std::nullopt) << id;
  // Remembering one again does not count it twice.
  bodies.Remember("Q4", Body(details));
  EXPECT_NE(bodies.Find("Q2"), std::nullopt);
}

TEST(IncidentBodiesTest, ABodyLargerThanTheBoundIsNotKept) {
  IncidentBodies bodies(256);
  bodies.Remember("Q1", Body("short"));
  bodies.Remember("Q2", Body(std::string(1000, 'x')));
  EXPECT_EQ(bodies.Find("Q2"), std::nullopt);
  EXPECT_NE(bodies.Find("Q1"), std::nullopt) << "a body too large to keep evicts nothing";
}

}  // namespace
}  // namespace ferry::pagerduty
