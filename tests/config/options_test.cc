// A system's options: block is checked against the options message its
// connector declares, with every problem at once, each with its place and
// fix, like the rest of the config.
#include <string>
#include <vector>

#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::config {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

constexpr char kConfig[] = R"(systems:
  - name: pd
    kind: pagerduty
    url: https://api.pagerduty.com
    token: {env: PD_TOKEN}
    options:
      reescalate_acknowledged: sometimes
      webhook_listen: 0.0.0.0:8095
  - name: jira
    kind: jira
    url: https://example.atlassian.net
    token: {env: JIRA_TOKEN}
    options: {deploymnet: cloud, overlap_seconds: -5}
)";

std::vector<std::string> Problems(const std::string& yaml) {
  ValidationOptions options;
  options.system_kinds = engine::ConnectorRegistry::Kinds();
  std::vector<std::string> out;
  for (const auto& problem : LoadConfigText(yaml, "ferry.yaml", options).problems) {
    out.push_back(FormatProblem(problem));
  }
  return out;
}

TEST(OptionsTest, UnknownOptionsAndWrongTypesAreReportedAtOnce) {
  const std::vector<std::string> problems = Problems(kConfig);
  // The options' cross-field rules are checked in the same run as their
  // fields' types.
  EXPECT_EQ(problems.size(), 4u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems, Contains("ferry.yaml:7:32: systems[0].options.reescalate_acknowledged: "
                                 "'sometimes' is not true or false. Fix: write true or false"));
  EXPECT_THAT(problems, Contains(HasSubstr("ferry.yaml:8:23: systems[0].options.webhook_listen: "
                                           "webhook_listen is set but no signing secret is")));
  EXPECT_THAT(problems, Contains("ferry.yaml:13:15: systems[1].options.deploymnet: unknown "
                                 "field 'deploymnet'. Fix: did you mean 'deployment'?"));
  EXPECT_THAT(problems, Contains(HasSubstr("systems[1].options.overlap_seconds: '-5' is not a "
                                           "whole number of zero or more")));
}

TEST(OptionsTest, CrossFieldRulesAreReportedWithTheirPlace) {
  std::string yaml = kConfig;
  yaml.replace(yaml.find("sometimes"), 9, "true");
  yaml.replace(yaml.find("deploymnet: cloud, overlap_seconds: -5"), 38,
               "deployment: mainframe");
  const std::vector<std::string> problems = Problems(yaml);
  EXPECT_EQ(problems.size(), 2u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems, Contains(HasSubstr("ferry.yaml:8:23: systems[0].options.webhook_listen: "
                                           "webhook_listen is set but no signing secret is")));
  EXPECT_THAT(problems, Contains(HasSubstr("systems[1].options.deployment: deployment "
                                           "'mainframe' is unknown")));
}

TEST(OptionsTest, AKindWithoutOptionsRefusesThem) {
  const std::vector<std::string> problems = Problems(R"(systems:
  - name: dir
    kind: fake
    url: file:///tmp/fake
    token: {env: T}
    options: {colour: blue}
)");
  EXPECT_THAT(problems, Contains(HasSubstr("systems[0].options: a fake system takes no options")));
}

TEST(OptionsTest, ServiceNowOptionsWithATypoAWrongTypeAndAMissingSecret) {
  const std::vector<std::string> problems = Problems(R"(systems:
  - name: sn
    kind: servicenow
    url: https://example.service-now.com
    username: ferry.integration
    token: {env: SN_PASSWORD}
    options:
      close_cod: Solved (Permanently)
      page_size: lots
      auth: oauth
      oauth_client_id: ferry
)");
  EXPECT_EQ(problems.size(), 3u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems, Contains("ferry.yaml:8:7: systems[0].options.close_cod: unknown field "
                                 "'close_cod'. Fix: did you mean 'close_code'?"));
  EXPECT_THAT(problems, Contains(HasSubstr("ferry.yaml:9:18: systems[0].options.page_size: "
                                           "'lots' is not a whole number")));
  EXPECT_THAT(problems, Contains(HasSubstr("systems[0].options.oauth_client_secret_env: auth is "
                                           "oauth but no client secret is set. Fix: add "
                                           "oauth_client_secret_env")));
}

TEST(OptionsTest, ServiceNowValuesOutsideTheirSetsNameTheChoices) {
  const std::vector<std::string> problems = Problems(R"(systems:
  - name: sn
    kind: servicenow
    url: https://example.service-now.com
    username: ferry.integration
    token: {env: SN_PASSWORD}
    options: {comment_element: journal, hold_reason: Awaiting Godot}
)");
  EXPECT_EQ(problems.size(), 2u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems, Contains(HasSubstr("systems[0].options.comment_element: comment_element "
                                           "'journal' is not a journal field. Fix: use comments "
                                           "(customer-visible) or work_notes (internal)")));
  EXPECT_THAT(problems, Contains(HasSubstr("systems[0].options.hold_reason: hold_reason 'Awaiting "
                                           "Godot' is unknown. Fix: use Awaiting Caller")));
}

// ServiceNow computes priority from impact and urgency: a mapping that
// writes it is refused, and the message says what to map instead.
TEST(OptionsTest, AMappingOntoServiceNowPriorityIsRefusedNamingImpactAndUrgency) {
  const std::vector<std::string> problems = Problems(R"(systems:
  - name: pd
    kind: pagerduty
    url: https://api.pagerduty.com
    token: {env: PD_TOKEN}
    user_email: ferry@example.com
  - name: sn
    kind: servicenow
    url: https://example.service-now.com
    username: ferry.integration
    token: {env: SN_PASSWORD}
mappings:
  - name: incident-to-incident
    source_type: incident
    target_type: incident
    fields:
      - {source: Title, target: short_description}
      - source: Priority
        target: priority
        value_map: {values: {P1: "1 - Critical"}, default_value: "5 - Planning"}
integrations:
  - name: pd-sn
    source: {system: pd, projects: [PSERVICE1]}
    target: {system: sn, projects: [incident]}
    mapping: incident-to-incident
)");
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0], HasSubstr("mappings[0].fields[1].target: servicenow field "
                                     "\"priority\" is read-only"));
  EXPECT_THAT(problems[0], HasSubstr("map to impact and urgency"));
}

}  // namespace
}  // namespace ferry::config
