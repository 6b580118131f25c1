// Table-driven: every testdata/*.yaml fixture is loaded, and the problems
// reported must equal, in order and word for word, the fixture's
// "# expect: " lines (none for a valid config).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "engine/config/loader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::config {
namespace {

constexpr absl::string_view kExpect = "# expect: ";

ValidationOptions TestOptions() {
  ValidationOptions options;
  options.system_kinds = {"pagerduty", "jira"};
  return options;
}

std::filesystem::path TestDataDir() {
  return std::filesystem::path(std::getenv("TEST_SRCDIR")) /
         std::getenv("TEST_WORKSPACE") / "engine/config/testdata";
}

std::vector<std::filesystem::path> Fixtures() {
  std::vector<std::filesystem::path> fixtures;
  for (const auto& entry : std::filesystem::directory_iterator(TestDataDir())) {
    if (entry.path().extension() == ".yaml") fixtures.push_back(entry.path());
  }
  std::sort(fixtures.begin(), fixtures.end());
  return fixtures;
}

TEST(ValidateConfigTest, FixturesReportExactlyTheExpectedProblems) {
  const auto fixtures = Fixtures();
  ASSERT_GE(fixtures.size(), 8u) << "fixtures missing from " << TestDataDir();
  for (const auto& path : fixtures) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::vector<std::string> expected;
    std::string line;
    for (std::istringstream lines(text.str()); std::getline(lines, line);) {
      if (absl::StartsWith(line, kExpect)) {
        expected.push_back(line.substr(kExpect.size()));
      }
    }
    const LoadedConfig loaded = LoadConfigText(
        text.str(), path.filename().string(), TestOptions());
    std::vector<std::string> actual;
    for (const auto& problem : loaded.problems) {
      actual.push_back(FormatProblem(problem));
    }
    EXPECT_EQ(actual, expected) << "in " << path.filename();
    EXPECT_EQ(loaded.ok(), expected.empty()) << "in " << path.filename();
  }
}

TEST(ValidateConfigTest, InlineTokenNeverAppearsInAnyProblem) {
  const LoadedConfig loaded =
      LoadConfigFile((TestDataDir() / "inline_token.yaml").string(),
                     TestOptions());
  ASSERT_FALSE(loaded.ok());
  for (const auto& problem : loaded.problems) {
    EXPECT_THAT(problem.DebugString(),
                ::testing::Not(::testing::HasSubstr("0123456789abcdef")));
  }
}

TEST(ValidateConfigTest, SecretsAreCheckedOnRequestWithoutShowingThem) {
  ::setenv("FERRY_TEST_PD_TOKEN", "u+secret-value", 1);
  ValidationOptions options = TestOptions();
  options.check_secrets = true;
  const LoadedConfig loaded = LoadConfigText(
      "systems:\n"
      "  - {name: pd, kind: pagerduty, url: 'https://pd',\n"
      "     token: {env: FERRY_TEST_PD_TOKEN}}\n"
      "  - {name: jira, kind: jira, url: 'https://jira',\n"
      "     token: {file: /nonexistent/jira-token}}\n",
      "secrets.yaml", options);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(FormatProblem(loaded.problems[0]),
            "secrets.yaml:5:13: systems[1].token: secret file "
            "/nonexistent/jira-token does not exist. Fix: make the secret "
            "available to ferryd, or correct the reference");
}

TEST(ValidateConfigTest, UnreadableFileIsAProblemNotACrash) {
  const LoadedConfig loaded =
      LoadConfigFile("/nonexistent/ferry.yaml", TestOptions());
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(FormatProblem(loaded.problems[0]),
            "/nonexistent/ferry.yaml: cannot open the config file. Fix: "
            "check the path and that ferryd may read it");
}

}  // namespace
}  // namespace ferry::config
