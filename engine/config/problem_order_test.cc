#include "engine/config/problem_order.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::config {
namespace {

using ::testing::ElementsAre;

ferry::v1::ConfigProblem At(int line, int column, const std::string& path,
                            const std::string& message) {
  ferry::v1::ConfigProblem problem;
  problem.set_line(line);
  problem.set_column(column);
  problem.set_field_path(path);
  problem.set_message(message);
  return problem;
}

std::vector<std::string> Messages(const std::vector<ferry::v1::ConfigProblem>& problems) {
  std::vector<std::string> messages;
  for (const auto& problem : problems) messages.push_back(problem.message());
  return messages;
}

TEST(InFileOrderTest, SortsEveryPassByPlaceWithPlacelessLast) {
  const auto joined = InFileOrder({
      {At(9, 3, "integrations[0].retry", "schema")},
      {At(0, 0, "", "whole file"), At(2, 5, "systems[0].url", "structure")},
      {At(5, 7, "mappings[0].fields[0].source", "meaning")},
  });
  EXPECT_THAT(Messages(joined), ElementsAre("structure", "meaning", "schema", "whole file"));
}

TEST(InFileOrderTest, OnePlaceKeepsThePassOrder) {
  const auto joined = InFileOrder({
      {At(4, 1, "systems[0].kind", "first")},
      {At(4, 1, "systems[1]", "second")},
  });
  EXPECT_THAT(Messages(joined), ElementsAre("first", "second"));
}

TEST(InFileOrderTest, AMistakeAnEarlierPassFoundIsNotReportedAgain) {
  const auto joined = InFileOrder({
      {At(7, 9, "integrations[0].target.projects", "expected a list")},
      {At(7, 3, "integrations[0].target.projects", "exactly one project, found 0"),
       At(6, 3, "integrations[0]", "whole integration"),
       At(8, 3, "integrations[0].target.system", "sibling is its own mistake"),
       At(9, 3, "integrations[0].target.projectsX", "a prefix of a name is not a field")},
      {At(7, 9, "integrations[0].target.projects[0]", "inside it")},
  });
  EXPECT_THAT(Messages(joined),
              ElementsAre("expected a list", "sibling is its own mistake",
                          "a prefix of a name is not a field"));
}

TEST(InFileOrderTest, ProblemsOfOnePassAreAllKept) {
  const auto joined = InFileOrder({
      {At(1, 1, "systems[0]", "a"), At(2, 1, "systems[0].name", "b")},
  });
  EXPECT_THAT(Messages(joined), ElementsAre("a", "b"));
}

}  // namespace
}  // namespace ferry::config
