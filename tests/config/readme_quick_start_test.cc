// The config in README.md's quick start loads without a problem and says
// what the README says around it.
#include "connectors/jira/jira_options.pb.h"
#include "engine/config/loader.h"
#include "engine/config/source_map.h"
#include "gtest/gtest.h"
#include "tools/simcore/testing/readme_example.h"

namespace ferry::config {
namespace {

TEST(ReadmeQuickStartTest, ConfigLoads) {
  auto yaml = simcore::ReadmeFencedBlock("README.md", "## Quick start: writing a config",
                                         "yaml");
  ASSERT_TRUE(yaml.ok()) << yaml.status();
  ValidationOptions options;
  options.system_kinds = {"pagerduty", "jira"};
  const LoadedConfig loaded = LoadConfigText(*yaml, "README.md", options);
  for (const auto& problem : loaded.problems) ADD_FAILURE() << FormatProblem(problem);
  ASSERT_EQ(loaded.config.systems_size(), 2);
  ferry::jira::JiraOptions jira;
  ASSERT_TRUE(loaded.config.systems(1).typed_options().UnpackTo(&jira));
  EXPECT_EQ(jira.deployment(), "cloud");
  ASSERT_EQ(loaded.config.integrations_size(), 1);
  EXPECT_EQ(loaded.config.integrations(0).direction(), ferry::v1::DIRECTION_BOTH);
  EXPECT_EQ(loaded.config.server().state_dir(), "/var/lib/ferry");
}

}  // namespace
}  // namespace ferry::config
