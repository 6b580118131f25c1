// Every example config under examples/ loads without a problem.
#include <cstdlib>
#include <filesystem>

#include "connectors/jira/jira_options.pb.h"
#include "connectors/pagerduty/pd_options.pb.h"
#include "connectors/servicenow/sn_options.pb.h"
#include "engine/config/loader.h"
#include "gtest/gtest.h"

namespace ferry::config {
namespace {

TEST(ExamplesTest, EveryExampleLoads) {
  const auto dir = std::filesystem::path(std::getenv("TEST_SRCDIR")) /
                   std::getenv("TEST_WORKSPACE") / "examples";
  ValidationOptions options;
  options.system_kinds = {"pagerduty", "jira", "servicenow"};
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
  EXPECT_GE(loaded_count, 8);  // the examples README.md lists
}

// The old spellings the examples use keep their meaning: string option
// values read into the connectors' typed options, and the deprecated
// pagerduty_source read as comment kinds.
TEST(ExamplesTest, OldSpellingsLoadIntoTypedOptionsAndCommentKinds) {
  const auto path = std::filesystem::path(std::getenv("TEST_SRCDIR")) /
                    std::getenv("TEST_WORKSPACE") / "examples" /
                    "status-updates-as-comments.yaml";
  ValidationOptions options;
  options.system_kinds = {"pagerduty", "jira"};
  const LoadedConfig loaded = LoadConfigFile(path.string(), options);
  ASSERT_TRUE(loaded.ok()) << FormatProblem(loaded.problems[0]);
  const ferry::v1::FerryConfig& config = loaded.config;
  ASSERT_EQ(config.systems_size(), 2);
  pagerduty::PagerDutyOptions pd;
  ASSERT_TRUE(config.systems(0).typed_options().UnpackTo(&pd));
  EXPECT_TRUE(pd.status_updates_as_comments());
  jira::JiraOptions jira;
  ASSERT_TRUE(config.systems(1).typed_options().UnpackTo(&jira));
  EXPECT_EQ(jira.deployment(), "cloud");
  const ferry::v1::CommentMapping& comments = config.mappings(0).comments();
  ASSERT_EQ(comments.kinds_size(), 1);
  EXPECT_EQ(comments.kinds(0), "status_update");
}

// The Data Center example's transition fields reach JiraOptions as written.
TEST(ExamplesTest, TransitionFieldsLoadIntoJiraOptions) {
  const auto path = std::filesystem::path(std::getenv("TEST_SRCDIR")) /
                    std::getenv("TEST_WORKSPACE") / "examples" /
                    "jira-datacenter-resolution.yaml";
  ValidationOptions options;
  options.system_kinds = {"pagerduty", "jira"};
  const LoadedConfig loaded = LoadConfigFile(path.string(), options);
  ASSERT_TRUE(loaded.ok()) << FormatProblem(loaded.problems[0]);
  jira::JiraOptions jira;
  ASSERT_TRUE(loaded.config.systems(1).typed_options().UnpackTo(&jira));
  EXPECT_EQ(jira.deployment(), "datacenter");
  ASSERT_EQ(jira.transition_fields_size(), 2);
  EXPECT_EQ(jira.transition_fields().at("resolution"), "Fixed");
  EXPECT_EQ(jira.transition_fields().at("customfield_10050"), "See the PagerDuty incident");
}

// The ServiceNow example's options reach ServiceNowOptions as written.
TEST(ExamplesTest, ServiceNowExampleLoadsItsCloseFieldsIntoServiceNowOptions) {
  const auto path = std::filesystem::path(std::getenv("TEST_SRCDIR")) /
                    std::getenv("TEST_WORKSPACE") / "examples" / "pagerduty-servicenow.yaml";
  ValidationOptions options;
  options.system_kinds = {"pagerduty", "servicenow"};
  const LoadedConfig loaded = LoadConfigFile(path.string(), options);
  ASSERT_TRUE(loaded.ok()) << FormatProblem(loaded.problems[0]);
  ASSERT_EQ(loaded.config.systems_size(), 2);
  servicenow::ServiceNowOptions servicenow;
  ASSERT_TRUE(loaded.config.systems(1).typed_options().UnpackTo(&servicenow));
  EXPECT_EQ(servicenow.close_code(), "Solved (Permanently)");
  EXPECT_EQ(servicenow.close_notes(), "Resolved in PagerDuty");
  EXPECT_EQ(servicenow.correlation_display(), "PagerDuty");
}

}  // namespace
}  // namespace ferry::config
