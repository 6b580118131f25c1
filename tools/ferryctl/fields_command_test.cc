#include "tools/ferryctl/fields_command.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "connectors/jira/testing/simulated_jira.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::ferryctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class FieldsCommandTest : public ::testing::TestWithParam<jira_sim::Dialect> {};

// The kind's fields as in the generated reference, then the site's custom
// fields by id and name.
TEST_P(FieldsCommandTest, JiraListsSchemaAndCustomFields) {
  jira::SimulatedJira jira(GetParam());
  auto printed = SystemFields(jira.config(), jira.token());
  ASSERT_TRUE(printed.ok()) << printed.status();
  EXPECT_THAT(*printed, HasSubstr("| `summary` | text | source or target |"));
  EXPECT_THAT(*printed, HasSubstr("This site's:"));
  EXPECT_THAT(*printed, HasSubstr("| `customfield_10010` | text | source or target |  | "
                                  "PagerDuty Incident |"));
  EXPECT_THAT(*printed, HasSubstr("| `customfield_10011` |"));
  EXPECT_THAT(*printed, Not(HasSubstr(jira.token())));
}

// From a config file: the system by name, its token read as ferryd reads
// it; an unknown name lists the configured ones.
TEST_P(FieldsCommandTest, FindsTheSystemInAConfig) {
  jira::SimulatedJira jira(GetParam());
  const std::string dir = std::getenv("TEST_TMPDIR");
  const std::string token_file = absl::StrCat(dir, "/token");
  std::ofstream(token_file) << jira.token() << "\n";
  const ferry::v1::SystemConfig& system = jira.config();
  const std::string config = absl::StrCat(dir, "/ferry.yaml");
  std::ofstream(config) << "systems:\n"
                        << "  - name: jira\n"
                        << "    kind: jira\n"
                        << "    url: " << system.url() << "\n"
                        << "    token: {file: " << token_file << "}\n"
                        << (system.user_email().empty()
                                ? ""
                                : absl::StrCat("    user_email: ", system.user_email(), "\n"))
                        << (system.username().empty()
                                ? ""
                                : absl::StrCat("    username: ", system.username(), "\n"));
  auto printed = FieldsOfConfiguredSystem(config, "jira");
  ASSERT_TRUE(printed.ok()) << printed.status();
  EXPECT_THAT(*printed, HasSubstr("PagerDuty Incident"));

  auto unknown = FieldsOfConfiguredSystem(config, "jria");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("its systems are: jira"));
}

INSTANTIATE_TEST_SUITE_P(BothDeployments, FieldsCommandTest, jira::BothDialects(),
                         jira::DialectName);

}  // namespace
}  // namespace ferry::ferryctl
