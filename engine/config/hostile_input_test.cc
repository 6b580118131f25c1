// A hostile or broken config is refused with one clear problem, at its
// place, and cheaply: never an abort, never minutes of work.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/config/hostile_yaml_testing.h"
#include "engine/config/loader.h"
#include "engine/config/source_map.h"
#include "engine/config/yaml_proto.h"
#include "gtest/gtest.h"

namespace ferry::config {
namespace {

// A valid config whose first system is named `system_name`, written as is.
std::string Config(absl::string_view system_name = "pd") {
  return absl::StrCat(R"(systems:
  - {name: )", system_name, R"(, kind: pagerduty, url: "https://api.pagerduty.com", token: {env: PD_TOKEN}}
  - {name: jira, kind: jira, url: "https://example.atlassian.net", token: {env: JIRA_TOKEN}}
mappings:
  - name: m
    source_type: incident
    target_type: Task
    fields:
      - {source: Title, target: summary}
integrations:
  - {name: i, source: {system: pd, projects: [P1]}, target: {system: jira, projects: [OPS]}, mapping: m}
)");
}

ValidationOptions Options() {
  ValidationOptions options;
  options.system_kinds = {"jira", "pagerduty"};
  return options;
}

// The one problem `loaded` reports, as a person reads it.
std::string OnlyProblem(const LoadedConfig& loaded) {
  if (loaded.problems.size() != 1) {
    return absl::StrCat(loaded.problems.size(), " problems");
  }
  return FormatProblem(loaded.problems[0]);
}

TEST(HostileInputTest, TheValidConfigLoads) {
  const LoadedConfig loaded = LoadConfigText(Config(), "f.yaml", Options());
  EXPECT_TRUE(loaded.ok()) << FormatProblem(loaded.problems[0]);
}

TEST(HostileInputTest, NestedAliasesStopAtTheNodeLimit) {
  const std::string yaml = NestedAliasYaml();
  ASSERT_LT(yaml.size(), 25'000u);

  const LoadedConfig loaded = LoadConfigText(yaml, "f.yaml", Options());
  ASSERT_EQ(loaded.problems.size(), 1u) << OnlyProblem(loaded);
  const ferry::v1::ConfigProblem& problem = loaded.problems[0];
  EXPECT_TRUE(absl::StrContains(
      problem.message(), absl::StrCat("more than ", kMaxConfigNodes, " values")))
      << problem.message();
  EXPECT_EQ(problem.fix(), "remove the aliases or split the config");
  // It stops inside the shared field mapping's values, on line 4.
  EXPECT_EQ(problem.line(), 4);
  EXPECT_TRUE(absl::StartsWith(problem.field_path(), "mappings["))
      << problem.field_path();
}

TEST(HostileInputTest, ATooLargeTextIsRefusedBeforeParsing) {
  // Valid YAML all through: only its size is wrong.
  std::string yaml = absl::StrCat(Config(), "# ");
  yaml.resize(kMaxConfigBytes + 1, 'x');
  EXPECT_EQ(OnlyProblem(LoadConfigText(yaml, "f.yaml", Options())),
            "f.yaml: the config is larger than 1 MiB. Fix: split it into "
            "smaller configs or remove what it repeats");
}

TEST(HostileInputTest, ATooLargeFileIsRefused) {
  const std::string path =
      (std::filesystem::path(std::getenv("TEST_TMPDIR")) / "big.yaml").string();
  {
    std::ofstream out(path);
    out << Config() << "# " << std::string(3 * kMaxConfigBytes, 'x') << "\n";
  }
  EXPECT_EQ(OnlyProblem(LoadConfigFile(path, Options())),
            absl::StrCat(path, ": the config is larger than 1 MiB. Fix: split "
                               "it into smaller configs or remove what it "
                               "repeats"));
}

// A config path that is not a regular file is refused naming what it is;
// a FIFO is never opened, so no read blocks waiting for a writer (before,
// this test hung until its timeout).
TEST(HostileInputTest, AConfigPathThatIsNoRegularFileIsRefusedNamingWhatItIs) {
  const std::string dir =
      (std::filesystem::path(std::getenv("TEST_TMPDIR")) / "not_regular").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string fifo = dir + "/ferry.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::ofstream(dir + "/empty.yaml").flush();
  const std::string fix =
      ". Fix: give the path of the YAML config, a regular file that ferryd may read";
  EXPECT_EQ(OnlyProblem(LoadConfigFile(fifo, Options())),
            absl::StrCat(fifo, ": cannot read the config file: ", fifo,
                         " is a FIFO, not a regular file", fix));
  EXPECT_EQ(OnlyProblem(LoadConfigFile(dir, Options())),
            absl::StrCat(dir, ": cannot read the config file: ", dir,
                         " is a directory, not a regular file", fix));
  EXPECT_EQ(OnlyProblem(LoadConfigFile(dir + "/empty.yaml", Options())),
            absl::StrCat(dir, "/empty.yaml: the config file ", dir,
                         "/empty.yaml is empty", fix));
}

TEST(HostileInputTest, InvalidUtf8InAValueIsReportedAtItsPlace) {
  // "é" cut after its first byte, on line 2 after "  - {name: pd".
  EXPECT_EQ(OnlyProblem(LoadConfigText(Config("pd\xC3"), "config.yaml",
                                       Options())),
            "config.yaml:2:14: invalid UTF-8 (byte 0xC3 not followed by a "
            "valid continuation byte). Fix: save the file as UTF-8");
}

TEST(HostileInputTest, InvalidUtf8InAKeyIsReportedAtItsPlace) {
  // Columns count characters: "é" before the bad byte is one column.
  std::string yaml = Config();
  yaml.insert(yaml.find("mappings:"), "é\xFFkey: 1\n");
  EXPECT_EQ(OnlyProblem(LoadConfigText(yaml, "config.yaml", Options())),
            "config.yaml:4:2: invalid UTF-8 (byte 0xFF cannot start a "
            "character). Fix: save the file as UTF-8");
}

TEST(HostileInputTest, OverlongAndSurrogateSequencesAreInvalid) {
  for (const std::string bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                                "\xF4\x90\x80\x80", "\xE2\x82"}) {
    const LoadedConfig loaded =
        LoadConfigText(Config(absl::StrCat("pd", bad)), "f.yaml", Options());
    ASSERT_EQ(loaded.problems.size(), 1u) << OnlyProblem(loaded);
    EXPECT_TRUE(absl::StrContains(loaded.problems[0].message(), "invalid UTF-8"))
        << loaded.problems[0].message();
  }
}

TEST(HostileInputTest, ValidMultiByteCharactersLoad) {
  const LoadedConfig loaded =
      LoadConfigText(Config("\"pd-é€😀\""), "f.yaml", Options());
  // The integration names "pd", not the renamed system: problems there
  // are, but none with the characters.
  for (const auto& problem : loaded.problems) {
    EXPECT_FALSE(absl::StrContains(problem.message(), "UTF-8"))
        << FormatProblem(problem);
  }
}

}  // namespace
}  // namespace ferry::config
