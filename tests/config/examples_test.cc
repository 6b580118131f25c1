// Every example config under examples/ loads without a problem.
#include <cstdlib>
#include <filesystem>

#include "engine/config/loader.h"
#include "gtest/gtest.h"

namespace ferry::config {
namespace {

TEST(ExamplesTest, EveryExampleLoads) {
  const auto dir = std::filesystem::path(std::getenv("TEST_SRCDIR")) /
                   std::getenv("TEST_WORKSPACE") / "examples";
  ValidationOptions options;
  options.system_kinds = {"pagerduty", "jira"};
  int loaded_count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    const LoadedConfig loaded = LoadConfigFile(entry.path().string(), options);
    for (const auto& problem : loaded.problems) {
      ADD_FAILURE() << FormatProblem(problem);
    }
    EXPECT_FALSE(loaded.config.integrations().empty()) << entry.path();
    ++loaded_count;
  }
  EXPECT_GE(loaded_count, 6);  // the examples README.md lists
}

}  // namespace
}  // namespace ferry::config
