#include "connectors/jira/jira_connector.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "connectors/jira/jira_options.h"
#include "connectors/jira/testing/simulated_jira.h"
#include "engine/connector/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using jira_sim::Dialect;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

JiraOptions Options(absl::string_view deployment) {
  JiraOptions options;
  options.set_deployment(std::string(deployment));
  return options;
}

class JiraConnectorTest : public ::testing::TestWithParam<Dialect> {
 protected:
  JiraConnectorTest() : jira_(GetParam()) {}

  // The config and token of the fixture's browse-only "viewer".
  std::pair<ferry::v1::SystemConfig, std::string> Viewer() {
    ferry::v1::SystemConfig config = jira_.config();
    if (jira_.cloud()) {
      config.set_user_email("viewer@example.com");
      return {config, "viewer-api-token"};
    }
    return {config, "viewer-pat"};
  }

  SimulatedJira jira_;
};

TEST_P(JiraConnectorTest, RegisteredAsJira) {
  EXPECT_THAT(ferry::engine::ConnectorRegistry::Kinds(), Contains("jira"));
  auto connector =
      ferry::engine::ConnectorRegistry::Create(jira_.config(), jira_.token());
  ASSERT_TRUE(connector.ok()) << connector.status();
  auto check = (*connector)->CheckSystem({"OPS"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->ok());
}

TEST_P(JiraConnectorTest, CheckSystemReportsUserTimeZoneAndPermissions) {
  auto connector = MakeJiraConnector(jira_.config(), jira_.token());
  ASSERT_TRUE(connector.ok()) << connector.status();
  auto check = (*connector)->CheckSystem({"OPS", "WEB"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->ok());
  EXPECT_EQ(check->user().email(), "ferry@example.com");
  EXPECT_EQ(check->user().id(),
            jira_.cloud() ? "5b10ac8d82e05b22cc7d4ef5" : "JIRAUSER10000");
  EXPECT_THAT(check->capabilities(), Contains("time zone: Australia/Sydney"));
  EXPECT_THAT(check->capabilities(),
              Contains("project OPS: browse, create, edit, transition, comment: ok"));
  EXPECT_TRUE(check->problems().empty());
}

TEST_P(JiraConnectorTest, CheckSystemNamesMissingPermissionsAndProjects) {
  auto [config, token] = Viewer();
  auto connector = MakeJiraConnector(config, token);
  ASSERT_TRUE(connector.ok()) << connector.status();
  auto check = (*connector)->CheckSystem({"OPS", "NOPE"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_FALSE(check->ok());
  EXPECT_THAT(check->capabilities(),
              Contains("project OPS: browse (not create, edit, transition, comment)"));
  EXPECT_THAT(check->problems(),
              Contains(HasSubstr("project OPS: Read Only may not edit; grant the EDIT_ISSUES")));
  EXPECT_THAT(check->problems(), Contains(HasSubstr("project NOPE")));
}

TEST_P(JiraConnectorTest, WrongTokenIsUnauthenticatedWithoutTheToken) {
  auto connector = MakeJiraConnector(jira_.config(), "not-the-token-12345");
  ASSERT_TRUE(connector.ok()) << connector.status();
  auto check = (*connector)->CheckSystem({"OPS"});
  EXPECT_EQ(check.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(check.status().message()),
              Not(HasSubstr("not-the-token-12345")));
}

TEST_P(JiraConnectorTest, ConfiguredDeploymentSkipsDetection) {
  ferry::v1::SystemConfig config = jira_.config();
  config.mutable_typed_options()->PackFrom(
      Options(jira_.cloud() ? "cloud" : "datacenter"));
  auto connector = MakeJiraConnector(config, jira_.token());
  ASSERT_TRUE(connector.ok()) << connector.status();
  auto check = (*connector)->CheckSystem({"OPS"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_THAT(check->capabilities(),
              Contains(jira_.cloud() ? "deployment: cloud (REST v3)"
                                     : "deployment: data center (REST v2)"));
}

TEST_P(JiraConnectorTest, ReadersAndWritersWorkThroughTheConnector) {
  auto connector = MakeJiraConnector(jira_.config(), jira_.token());
  ASSERT_TRUE(connector.ok()) << connector.status();
  ferry::engine::ReaderOptions options;
  options.integration = "pd-jira";
  options.project = "OPS";
  options.start.emplace();
  options.start->mutable_time()->set_seconds(
      absl::ToUnixSeconds(jira_.sim().simulator().server().clock().Now()));
  auto reader = (*connector)->NewReader(options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto writer = (*connector)->NewWriter("pd-jira");
  ASSERT_TRUE(writer.ok()) << writer.status();

  jira_.sim().simulator().server().clock().Advance(absl::Seconds(1));
  ferry::v1::CommentWrite comment;
  comment.set_body("From Ferry");
  ASSERT_TRUE((*writer)->AddComment({"10000", "OPS-1", ""}, comment, "o").ok());
  jira_.AsAlice("POST", "/issue/OPS-1/comment", {{"body", "From Alice"}});
  auto page = (*reader)->ReadChanges(std::nullopt, 10);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->changes.size(), 1u);
  ASSERT_EQ(page->changes[0].entity().comments_size(), 1);
  EXPECT_EQ(page->changes[0].entity().comments(0).body(), "From Alice");
}

TEST(JiraConnectorConfigTest, SettingErrorsNameTheSetting) {
  ferry::v1::SystemConfig config;
  config.set_name("jira");
  config.set_url("https://example.atlassian.net");
  config.mutable_typed_options()->PackFrom(Options("mainframe"));
  auto bad = MakeJiraConnector(config, "token");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("options.deployment 'mainframe'"));

  config.mutable_typed_options()->PackFrom(Options("cloud"));
  auto no_email = MakeJiraConnector(config, "token");
  EXPECT_THAT(no_email.status().message(), HasSubstr("set user_email"));

  config.set_user_email("ferry@example.com");
  // Options are typed: a map of strings (the old form) is refused by name.
  ferry::v1::SystemConfig untyped = config;
  untyped.clear_typed_options();
  (*untyped.mutable_options())["overlap_seconds"] = "soon";
  auto overlap = MakeJiraConnector(untyped, "token");
  EXPECT_THAT(overlap.status().message(), HasSubstr("untyped options map"));

  auto no_token = MakeJiraConnector(config, "");
  EXPECT_THAT(no_token.status().message(), HasSubstr("token resolved to an empty value"));
  EXPECT_TRUE(MakeJiraConnector(config, "token").ok());
}

TEST_P(JiraConnectorTest, CheckSystemWarnsOfTransitionFieldsFerryCannotFill) {
  auto connector = MakeJiraConnector(jira_.config(), jira_.token());
  ASSERT_TRUE(connector.ok()) << connector.status();
  // A fresh project: nothing to read transitions from yet.
  auto fresh = (*connector)->CheckSystem({"TRI"});
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_TRUE(fresh->ok());
  EXPECT_THAT(fresh->capabilities(),
              Contains("project TRI: transition screens seen from no status yet "
                       "(no issues to read them from)"));
  // An Incident in Working: its Resolve screen requires a Root cause.
  nlohmann::json created = jira_.AsAlice(
      "POST", "/issue",
      {{"fields", {{"project", {{"key", "TRI"}}},
                   {"issuetype", {{"name", "Incident"}}},
                   {"summary", "Disk full"}}}});
  const std::string key = created["key"];
  for (const char* id : {"11", "21"}) {
    jira_.AsAlice("POST", "/issue/" + key + "/transitions", {{"transition", {{"id", id}}}});
  }
  auto check = (*connector)->CheckSystem({"TRI"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_FALSE(check->ok());
  ASSERT_EQ(check->problems_size(), 1);
  EXPECT_EQ(check->problems(0),
            absl::StrCat("project TRI, Incident issues in 'Working': jira transition "
                         "'Resolve' to 'Done' needs field 'Root cause' (customfield_10012), "
                         "which is required and Ferry has no value for. Fix: set it under "
                         "the options of system '",
                         jira_.config().name(),
                         "': transition_fields: {customfield_10012: \"<value>\"}"));
  // With the value configured, nothing is left to warn about.
  ferry::v1::SystemConfig config = jira_.config();
  JiraOptions options;
  (*options.mutable_transition_fields())["customfield_10012"] = "unknown";
  config.mutable_typed_options()->PackFrom(options);
  auto configured = MakeJiraConnector(config, jira_.token());
  ASSERT_TRUE(configured.ok()) << configured.status();
  auto fixed = (*configured)->CheckSystem({"TRI"});
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_TRUE(fixed->ok()) << fixed->problems(0);
  EXPECT_THAT(fixed->capabilities(),
              Contains("project TRI: transition screens seen from Incident in Working"));
}

INSTANTIATE_TEST_SUITE_P(BothDeployments, JiraConnectorTest, BothDialects(), DialectName);

}  // namespace
}  // namespace ferry::jira
