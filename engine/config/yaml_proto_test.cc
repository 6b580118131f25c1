#include "engine/config/yaml_proto.h"

#include <string>
#include <vector>

#include "engine/config/system_options.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

struct Result {
  ferry::v1::FerryConfig config;
  std::vector<std::string> problems;
  bool ok = false;
};

Result Read(const std::string& yaml) {
  Result result;
  SourceMap sources;
  std::vector<ferry::v1::ConfigProblem> problems;
  result.ok = ReadYamlIntoMessage(yaml, "test.yaml", &result.config, &sources,
                                  &problems);
  for (const auto& problem : problems) {
    result.problems.push_back(FormatProblem(problem));
  }
  return result;
}

TEST(ReadYamlIntoMessageTest, ReadsEveryKindOfField) {
  const Result result = Read(R"(
systems:
  - name: pd
    kind: pagerduty
    token: {env: PD_TOKEN}
    requestsPerMinute: 900
    options: {region: eu}
mappings:
  - name: m
    fields:
      - {source: Status, target: status, sync_when: CREATE, direction: both}
      - source: Priority
        target: priority
        value_map:
          values: {P1: Highest, P2: High}
          default_value: Medium
integrations:
  - name: i
    poll_interval: 1m30s
    start_time: 2026-01-31T09:00:00+01:00
    conflict_policy: NEWEST_WINS
    retry: {max_attempts: 5, initial_backoff: 250ms}
    paused: true
)");
  ASSERT_TRUE(result.ok) << ::testing::PrintToString(result.problems);
  const auto& config = result.config;
  EXPECT_EQ(config.systems(0).token().env(), "PD_TOKEN");
  EXPECT_EQ(config.systems(0).requests_per_minute(), 900u);
  EXPECT_EQ(config.systems(0).options().at("region"), "eu");
  EXPECT_EQ(config.mappings(0).fields(0).sync_when(),
            ferry::v1::SYNC_WHEN_CREATE);
  EXPECT_EQ(config.mappings(0).fields(0).direction(),
            ferry::v1::DIRECTION_BOTH);
  EXPECT_EQ(config.mappings(0).fields(1).value_map().values().at("P1"),
            "Highest");
  EXPECT_EQ(config.integrations(0).poll_interval().seconds(), 90);
  EXPECT_EQ(config.integrations(0).start_time().seconds(), 1769846400);
  EXPECT_EQ(config.integrations(0).conflict_policy(),
            ferry::v1::CONFLICT_POLICY_NEWEST_WINS);
  EXPECT_EQ(config.integrations(0).retry().initial_backoff().nanos(),
            250000000);
  EXPECT_TRUE(config.integrations(0).paused());
}

// A system kind whose options are a RetryPolicy, as a connector's
// descriptor would declare them.
const bool kTypedKindRegistered = [] {
  SystemOptionsSpec spec;
  spec.prototype = std::make_shared<ferry::v1::RetryPolicy>();
  RegisterSystemOptions("typed-test", std::move(spec));
  return true;
}();

TEST(ReadYamlIntoMessageTest, OptionsAreReadIntoTheKindsMessage) {
  const Result result = Read(R"(
systems:
  - name: t
    kind: typed-test
    options: {max_attempts: "5", initial_backoff: 250ms}
)");
  ASSERT_TRUE(result.ok) << ::testing::PrintToString(result.problems);
  const ferry::v1::SystemConfig& system = result.config.systems(0);
  EXPECT_TRUE(system.options().empty());
  ferry::v1::RetryPolicy options;
  ASSERT_TRUE(system.typed_options().UnpackTo(&options));
  EXPECT_EQ(options.max_attempts(), 5u);
  EXPECT_EQ(options.initial_backoff().nanos(), 250000000);
}

TEST(ReadYamlIntoMessageTest, OptionProblemsHavePlaceAndFixAllAtOnce) {
  const Result result = Read(R"(
systems:
  - name: t
    kind: typed-test
    options:
      max_atempts: 5
      initial_backoff: soon
)");
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.problems,
              ElementsAre("test.yaml:6:7: systems[0].options.max_atempts: unknown field "
                          "'max_atempts'. Fix: did you mean 'max_attempts'?",
                          HasSubstr("test.yaml:7:24: systems[0].options.initial_backoff: "
                                    "'soon' is not a duration")));
}

TEST(ReadYamlIntoMessageTest, FullEnumNamesWork) {
  const Result result = Read(
      "mappings: [{name: m, fields: [{sync_when: SYNC_WHEN_UPDATE}]}]");
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.config.mappings(0).fields(0).sync_when(),
            ferry::v1::SYNC_WHEN_UPDATE);
}

TEST(ReadYamlIntoMessageTest, UnknownFieldSuggestsTheClosestName) {
  EXPECT_THAT(Read("integrations:\n  - name: i\n    pol_interval: 30s\n")
                  .problems,
              ElementsAre("test.yaml:3:5: integrations[0].pol_interval: "
                          "unknown field 'pol_interval'. Fix: did you mean "
                          "'poll_interval'?"));
}

TEST(ReadYamlIntoMessageTest, UnknownFieldFarFromAnyListsTheValidOnes) {
  EXPECT_THAT(Read("server: {colour: blue}").problems,
              ElementsAre("test.yaml:1:10: server.colour: unknown field "
                          "'colour'. Fix: valid fields of ServerConfig are "
                          "state_dir, control_listen, metrics_listen, "
                          "control_token, tls_cert_file, tls_key_file, stage_mtls, "
                          "stage_tls_cert_file, stage_tls_key_file, stage_tls_ca_file"));
}

TEST(ReadYamlIntoMessageTest, InlineSecretIsRefusedWithoutRepeatingIt) {
  const Result result =
      Read("systems:\n  - name: pd\n    token: u+Zx-secret-value\n");
  EXPECT_THAT(result.problems,
              ElementsAre("test.yaml:3:12: systems[0].token: a secret is "
                          "written inline in the config. Fix: put it in an "
                          "environment variable or a file and write `token: "
                          "{env: VARIABLE}` or `token: {file: "
                          "/path/to/secret}`"));
  EXPECT_THAT(result.problems[0], Not(HasSubstr("u+Zx-secret-value")));
}

TEST(ReadYamlIntoMessageTest, BadEnumListsTheValidValues) {
  EXPECT_THAT(
      Read("mappings:\n  - fields:\n      - sync_when: SOMETIMES\n").problems,
      ElementsAre("test.yaml:3:20: mappings[0].fields[0].sync_when: "
                  "'SOMETIMES' is not a valid value. Fix: use one of ALWAYS, "
                  "CREATE, UPDATE"));
}

TEST(ReadYamlIntoMessageTest, BadDurationAndTime) {
  EXPECT_THAT(Read("integrations:\n"
                   "  - poll_interval: often\n"
                   "    start_time: yesterday\n")
                  .problems,
              ElementsAre("test.yaml:2:20: integrations[0].poll_interval: "
                          "'often' is not a duration. Fix: write a number "
                          "with a unit, such as 90s, 5m or 1h30m",
                          "test.yaml:3:17: integrations[0].start_time: "
                          "'yesterday' is not a time. Fix: write an RFC 3339 "
                          "time with its offset, such as "
                          "2026-01-31T09:00:00Z"));
}

TEST(ReadYamlIntoMessageTest, WrongShapesAreNamed) {
  EXPECT_THAT(
      Read("systems: {name: pd}\nintegrations:\n  - source: pd\n").problems,
      ElementsAre(
          "test.yaml:1:10: systems: expected a list, found a mapping. Fix: "
          "write each item of systems on its own line starting with `- `",
          "test.yaml:3:13: integrations[0].source: expected a mapping of "
          "fields of Endpoint, found a single value. Fix: write the fields "
          "as `name: value` lines under integrations[0].source"));
}

TEST(ReadYamlIntoMessageTest, BadScalarsAreNamed) {
  EXPECT_THAT(Read("systems:\n  - requests_per_minute: -3\n"
                   "integrations:\n  - paused: maybe\n")
                  .problems,
              ElementsAre("test.yaml:2:26: systems[0].requests_per_minute: "
                          "'-3' is not a whole number of zero or more. Fix: "
                          "write a whole number such as 3",
                          "test.yaml:4:13: integrations[0].paused: 'maybe' is "
                          "not true or false. Fix: write true or false"));
}

TEST(ReadYamlIntoMessageTest, TwoMembersOfAOneofAreRefused) {
  EXPECT_THAT(
      Read("systems:\n  - token: {env: A, file: /b}\n").problems,
      ElementsAre("test.yaml:2:27: systems[0].token.file: only one of env, "
                  "file may be set. Fix: keep one of them and remove the "
                  "others"));
}

TEST(ReadYamlIntoMessageTest, YamlSyntaxErrorHasItsPlace) {
  EXPECT_THAT(Read("systems:\n  - name: [pd\n").problems,
              ElementsAre(HasSubstr("test.yaml:3:1: not valid YAML: ")));
}

TEST(ReadYamlIntoMessageTest, ReportsEveryProblemAtOnce) {
  EXPECT_EQ(Read("systems:\n  - nam: pd\n    kind: [x]\n"
                 "integrations:\n  - direction: sideways\n")
                .problems.size(),
            3u);
}

TEST(ReadYamlIntoMessageTest, EmptyFileIsAnEmptyConfig) {
  const Result result = Read("");
  EXPECT_TRUE(result.ok);
  EXPECT_THAT(result.problems, IsEmpty());
}

}  // namespace
}  // namespace ferry::config
