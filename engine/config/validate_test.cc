// Table-driven: every testdata/*.yaml fixture is loaded, and the problems
// reported must equal, in order and word for word, the fixture's
// "# expect: " lines (none for a valid config).
#include <sys/stat.h>
#include <unistd.h>

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
#include "tests/support/self_signed.h"

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

// Each way a secret can be unreadable is reported at its place with its
// cause, as ferryd would meet it, and the one readable secret never shows.
TEST(ValidateConfigTest, EachSecretProblemNamesItsPlaceAndCause) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  ::setenv("FERRY_TEST_GOOD", "u+secret-value", 1);
  ::setenv("FERRY_TEST_EMPTY", "", 1);
  ::unsetenv("FERRY_TEST_MISSING");
  std::filesystem::create_directories(dir + "/a-dir");
  ::unlink((dir + "/a-fifo").c_str());
  ASSERT_EQ(::mkfifo((dir + "/a-fifo").c_str(), 0600), 0);
  std::ofstream(dir + "/empty") << "\n";
  const std::vector<std::string> refs = {
      "{env: FERRY_TEST_GOOD}", "{env: FERRY_TEST_MISSING}",
      "{env: FERRY_TEST_EMPTY}", "{file: " + dir + "/missing}",
      "{file: " + dir + "/a-dir}", "{file: " + dir + "/a-fifo}",
      "{file: " + dir + "/empty}"};
  std::string yaml = "systems:\n";
  for (size_t i = 0; i < refs.size(); ++i) {
    yaml += "  - {name: s" + std::to_string(i) +
            ", kind: jira, url: 'https://jira', token: " + refs[i] + "}\n";
  }
  ValidationOptions options = TestOptions();
  options.check_secrets = true;
  const LoadedConfig loaded = LoadConfigText(yaml, "secrets.yaml", options);
  std::vector<std::string> problems;
  for (const auto& problem : loaded.problems) {
    EXPECT_THAT(problem.DebugString(),
                ::testing::Not(::testing::HasSubstr("u+secret-value")));
    EXPECT_THAT(problem.fix(), ::testing::HasSubstr("make the secret"));
    problems.push_back(problem.field_path() + ": " + problem.message());
  }
  EXPECT_THAT(
      problems,
      ::testing::ElementsAre(
          "systems[1].token: environment variable FERRY_TEST_MISSING is not set",
          "systems[2].token: environment variable FERRY_TEST_EMPTY is empty",
          "systems[3].token: secret file " + dir + "/missing does not exist",
          "systems[4].token: secret file " + dir +
              "/a-dir is a directory, not a regular file",
          "systems[5].token: secret file " + dir +
              "/a-fifo is a FIFO, not a regular file",
          "systems[6].token: secret file " + dir + "/empty is empty"));
}

// A connector's options can name secrets too (PagerDuty's webhook signing
// secret): checked as the system's token is.
TEST(ValidateConfigTest, SecretsOfConnectorOptionsAreChecked) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  ::setenv("FERRY_TEST_GOOD", "u+secret-value", 1);
  ValidationOptions options = TestOptions();
  options.check_secrets = true;
  const LoadedConfig loaded = LoadConfigText(
      "systems:\n"
      "  - {name: pd, kind: pagerduty, url: 'https://pd',\n"
      "     token: {env: FERRY_TEST_GOOD},\n"
      "     options: {webhook_listen: '127.0.0.1:0', webhook_secret_file: " +
          dir + "}}\n",
      "webhook.yaml", options);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0].field_path(),
            "systems[0].options.webhook_secret_file");
  EXPECT_EQ(loaded.problems[0].message(),
            "secret file " + dir + " is a directory, not a regular file");
}

// Every TLS file is loaded as ferryd will load it: the control API's, the
// webhook receiver's (a connector option) and the stages' (with its CA),
// each problem at its setting with the file and the cause.
TEST(ValidateConfigTest, TlsFilesAreLoadedOnRequestAndNamedWithTheirCause) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/tls_validate";
  std::filesystem::create_directories(dir);
  const ferry::testing::PemFiles pem = ferry::testing::MintSelfSignedCertificate(dir);
  ::setenv("FERRY_TEST_GOOD", "u+secret-value", 1);
  ::unlink((dir + "/ca-fifo").c_str());
  ASSERT_EQ(::mkfifo((dir + "/ca-fifo").c_str(), 0600), 0);
  const std::string yaml =
      "systems:\n"
      "  - {name: pd, kind: pagerduty, url: 'https://pd',\n"
      "     token: {env: FERRY_TEST_GOOD},\n"
      "     options: {webhook_listen: '127.0.0.1:0', webhook_secret_env: FERRY_TEST_GOOD,\n"
      "               webhook_tls_cert_file: " + pem.private_key + ",\n"
      "               webhook_tls_key_file: " + pem.private_key + "}}\n"
      "server:\n"
      "  tls_cert_file: " + pem.certificate + "\n"
      "  tls_key_file: " + dir + "\n"
      "  stage_mtls: true\n"
      "  stage_tls_cert_file: " + pem.certificate + "\n"
      "  stage_tls_key_file: " + pem.private_key + "\n"
      "  stage_tls_ca_file: " + dir + "/ca-fifo\n";
  ValidationOptions options = TestOptions();
  const LoadedConfig unchecked = LoadConfigText(yaml, "tls.yaml", options);
  EXPECT_TRUE(unchecked.ok()) << FormatProblem(unchecked.problems[0]);
  options.check_secrets = true;
  const LoadedConfig loaded = LoadConfigText(yaml, "tls.yaml", options);
  std::vector<std::string> problems;
  for (const auto& problem : loaded.problems) {
    problems.push_back(problem.field_path() + ": " + problem.message());
  }
  EXPECT_THAT(
      problems,
      ::testing::ElementsAre(
          "systems[0].options.webhook_tls_cert_file: " + pem.private_key +
              " holds no PEM certificate",
          "server.tls_key_file: " + dir + " is a directory, not a regular file",
          "server.stage_tls_ca_file: " + dir + "/ca-fifo is a FIFO, not a regular file"));
}

// The embedded mode has no stage streams on the network: it runs a config
// shared with stage processes without their certificates; a stage process
// (and ferryctl validate, by default) loads them.
TEST(ValidateConfigTest, StageTlsFilesAreLoadedOnlyForStageStreams) {
  const std::string yaml =
      "server: {stage_mtls: true, stage_tls_cert_file: /nonexistent/tls.crt,\n"
      "         stage_tls_key_file: /nonexistent/tls.key,\n"
      "         stage_tls_ca_file: /nonexistent/ca.crt}\n";
  ValidationOptions options = TestOptions();
  options.check_secrets = true;
  const LoadedConfig stage = LoadConfigText(yaml, "mtls.yaml", options);
  ASSERT_EQ(stage.problems.size(), 1u);
  EXPECT_EQ(stage.problems[0].field_path(), "server.stage_tls_cert_file");
  EXPECT_EQ(stage.problems[0].message(), "/nonexistent/tls.crt does not exist");
  options.stage_streams = false;
  const LoadedConfig embedded = LoadConfigText(yaml, "mtls.yaml", options);
  EXPECT_TRUE(embedded.ok()) << FormatProblem(embedded.problems[0]);
}

TEST(ValidateConfigTest, StageMtlsNeedsItsThreeFilesAndTheFilesNeedTheSwitch) {
  const LoadedConfig on = LoadConfigText(
      "server: {stage_mtls: true, stage_tls_cert_file: /c.pem}\n", "mtls.yaml",
      TestOptions());
  std::vector<std::string> paths;
  for (const auto& problem : on.problems) paths.push_back(problem.field_path());
  EXPECT_THAT(paths, ::testing::ElementsAre("server.stage_tls_key_file",
                                            "server.stage_tls_ca_file"));
  const LoadedConfig off = LoadConfigText(
      "server: {stage_tls_ca_file: /ca.pem}\n", "mtls.yaml", TestOptions());
  ASSERT_EQ(off.problems.size(), 1u);
  EXPECT_EQ(off.problems[0].field_path(), "server.stage_tls_ca_file");
  EXPECT_THAT(off.problems[0].fix(), ::testing::HasSubstr("stage_mtls: true"));
}

TEST(ValidateConfigTest, UnreadableSecretFileIsNamedAsUnreadable) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "running as root, which reads any file";
  }
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/locked";
  std::ofstream(path) << "u+secret-value";
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  ValidationOptions options = TestOptions();
  options.check_secrets = true;
  const LoadedConfig loaded = LoadConfigText(
      "systems:\n  - {name: jira, kind: jira, url: 'https://jira', token: {file: " +
          path + "}}\n",
      "secrets.yaml", options);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0].message(),
            "secret file " + path +
                " cannot be read by this process (permission)");
}

// The problems of a config whose server section is `server`.
std::vector<ferry::v1::ConfigProblem> ServerProblems(const std::string& server) {
  return LoadConfigText("server: " + server + "\n", "server.yaml",
                        TestOptions())
      .problems;
}

TEST(ValidateConfigTest, ControlApiBeyondLoopbackNeedsAToken) {
  for (const std::string listen : {"0.0.0.0:7400", "'[::]:7400'", "':7400'",
                                    "10.1.2.3:7400"}) {
    const auto problems = ServerProblems("{control_listen: " + listen + "}");
    ASSERT_EQ(problems.size(), 1u) << listen;
    EXPECT_EQ(problems[0].field_path(), "server.control_listen");
    EXPECT_THAT(problems[0].message(),
                ::testing::HasSubstr("is reachable beyond this host"));
    EXPECT_EQ(problems[0].fix(),
              "set server.control_token (such as `control_token: {env: "
              "FERRY_CONTROL_TOKEN}`), or listen on 127.0.0.1");
  }
}

TEST(ValidateConfigTest, ControlApiWithATokenOrOnLoopbackIsAccepted) {
  EXPECT_THAT(ServerProblems("{control_listen: 0.0.0.0:7400, control_token: "
                             "{env: FERRY_CONTROL_TOKEN}}"),
              ::testing::IsEmpty());
  for (const std::string listen :
       {"127.0.0.1:7400", "127.8.9.10:7400", "localhost:7400", "'[::1]:7400'"}) {
    EXPECT_THAT(ServerProblems("{control_listen: " + listen + "}"),
                ::testing::IsEmpty())
        << listen;
  }
}

TEST(IsLoopbackAddressTest, OnlyThisHostsAddressesAreLoopback) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:0"));
  EXPECT_TRUE(IsLoopbackAddress("LocalHost:7400"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:7400"));
  EXPECT_TRUE(IsLoopbackAddress("unix:/run/ferry/control.sock"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:7400"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:7400"));
  EXPECT_FALSE(IsLoopbackAddress(":7400"));
  EXPECT_FALSE(IsLoopbackAddress("ferry.example.com:7400"));
  EXPECT_FALSE(IsLoopbackAddress("127.0.0.1.example.com:7400"));
}

TEST(ValidateConfigTest, UnreadableFileIsAProblemNotACrash) {
  const LoadedConfig loaded =
      LoadConfigFile("/nonexistent/ferry.yaml", TestOptions());
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(FormatProblem(loaded.problems[0]),
            "/nonexistent/ferry.yaml: cannot read the config file: "
            "/nonexistent/ferry.yaml does not exist. Fix: give the path of the "
            "YAML config, a regular file that ferryd may read");
}

}  // namespace
}  // namespace ferry::config
