// The connector through the registry, against the ServiceNow simulator:
// the system check names what the integration user lacks and the fix;
// readers and writers come from one configured system.
#include "connectors/servicenow/sn_connector.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "connectors/servicenow/testing/simulated_servicenow.h"
#include "engine/connector/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::servicenow {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::unique_ptr<engine::Connector> Make(const ferry::v1::SystemConfig& config,
                                        const std::string& secret) {
  auto connector = engine::ConnectorRegistry::Create(config, secret);
  EXPECT_TRUE(connector.ok()) << connector.status();
  return connector.ok() ? *std::move(connector) : nullptr;
}

TEST(SnConnectorTest, TheIntegrationUserMayDoEverythingItNeeds) {
  SimulatedServiceNow sn;
  auto connector = Make(sn.config(), sn.token());
  auto check = connector->CheckSystem({"incident", servicenow_sim::TestServiceNow::kNetworkGroup});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->ok()) << check->DebugString();
  EXPECT_THAT(check->problems(), IsEmpty());
  EXPECT_EQ(check->user().id(), "ferry");
  EXPECT_THAT(check->role(), HasSubstr("itil"));
  EXPECT_THAT(check->capabilities(), Contains("write incidents (itil): ok"));
  EXPECT_THAT(check->capabilities(), Contains("read field history (sys_audit): ok"));
  EXPECT_THAT(check->capabilities(), Contains(HasSubstr("assignment group Network")));
}

TEST(SnConnectorTest, WithoutAuditViewerTheJournalAndAuditAreProblemsNamingTheRole) {
  SimulatedServiceNow sn;
  auto connector = Make(sn.ConfigAs("itil_only"), "itil_only-password");
  auto check = connector->CheckSystem({"incident"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_FALSE(check->ok());
  ASSERT_EQ(check->problems_size(), 2) << check->DebugString();
  EXPECT_THAT(check->problems(0), HasSubstr("read comments and work notes (sys_journal_field)"));
  EXPECT_THAT(check->problems(0), HasSubstr("audit_viewer role"));
  EXPECT_THAT(check->problems(1), HasSubstr("sys_audit"));
}

TEST(SnConnectorTest, AUserWithoutRolesLacksItil) {
  SimulatedServiceNow sn;
  auto connector = Make(sn.ConfigAs("nobody"), "nobody-password");
  auto check = connector->CheckSystem({"incident"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_FALSE(check->ok());
  EXPECT_THAT(check->problems(), Contains(HasSubstr("read incidents (incident); give the "
                                                    "integration user the itil role")));
}

TEST(SnConnectorTest, AWrongPasswordIsOneProblemNamingTheSettingsAndNoSecret) {
  SimulatedServiceNow sn;
  auto connector = Make(sn.config(), "not-the-password");
  auto check = connector->CheckSystem({"incident"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_FALSE(check->ok());
  ASSERT_EQ(check->problems_size(), 1) << check->DebugString();
  EXPECT_THAT(check->problems(0), HasSubstr("HTTP 401"));
  EXPECT_THAT(check->problems(0), HasSubstr("check username and token"));
  EXPECT_THAT(check->problems(0), Not(HasSubstr("not-the-password")));
}

TEST(SnConnectorTest, AProjectThatIsNoGroupIsAProblem) {
  SimulatedServiceNow sn;
  auto connector = Make(sn.config(), sn.token());
  auto check = connector->CheckSystem({"OPS", "00000000000000000000000000000000"});
  ASSERT_TRUE(check.ok()) << check.status();
  ASSERT_EQ(check->problems_size(), 2) << check->DebugString();
  EXPECT_THAT(check->problems(0), HasSubstr("use incident, or the group's sys_id"));
  EXPECT_THAT(check->problems(1), HasSubstr("no assignment group has this sys_id"));
}

TEST(SnConnectorTest, OAuthSignsInWithThePasswordGrant) {
  setenv("SN_CONNECTOR_TEST_CLIENT_SECRET", "ferry-secret", 1);
  ServiceNowOptions options;
  options.set_auth("oauth");
  options.set_oauth_client_id("ferry-client");
  options.set_oauth_client_secret_env("SN_CONNECTOR_TEST_CLIENT_SECRET");
  SimulatedServiceNow sn(options);
  auto connector = Make(sn.config(), sn.token());
  auto check = connector->CheckSystem({"incident"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->ok()) << check->DebugString();
  auto writer = connector->NewWriter("pd-sn");
  ASSERT_TRUE(writer.ok()) << writer.status();
  engine::CreateRequest request;
  request.project = "incident";
  request.origin = "ferry:pd-sn:pagerduty:Q1";
  auto created = (*writer)->Create(request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(sn.Rows("incident", "sys_id=" + created->id)[0]["sys_created_by"], "ferry");
}

TEST(SnConnectorTest, ABearerTokenWorksButWithoutAUsernameFerryCannotKnowItsOwnChanges) {
  ServiceNowOptions options;
  options.set_auth("bearer");
  SimulatedServiceNow sn(options);
  const std::string bearer = sn.sim().BearerFor("ferry");
  ASSERT_TRUE(absl::StartsWith(bearer, "Bearer ")) << bearer;
  const std::string token = bearer.substr(7);
  auto connector = Make(sn.config(), token);
  auto check = connector->CheckSystem({"incident"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->ok()) << check->DebugString();
  ferry::v1::SystemConfig anonymous = sn.config();
  anonymous.clear_username();
  auto unnamed = Make(anonymous, token);
  check = unnamed->CheckSystem({"incident"});
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_THAT(check->problems(), ElementsAre(HasSubstr("username is empty")));
  engine::ReaderOptions reader;
  reader.project = "incident";
  EXPECT_EQ(unnamed->NewReader(reader).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SnConnectorTest, ReadersTakeAProjectOfTheirOwnKind) {
  SimulatedServiceNow sn;
  auto connector = Make(sn.config(), sn.token());
  engine::ReaderOptions options;
  options.integration = "pd-sn";
  options.project = "incident";
  EXPECT_TRUE(connector->NewReader(options).ok());
  options.project = "OPS";
  EXPECT_EQ(connector->NewReader(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SnConnectorTest, TheKindIsRegisteredWithItsSchemaAndOptions) {
  EXPECT_THAT(engine::ConnectorRegistry::Kinds(), Contains("servicenow"));
  const mapping::SystemSchema* schema = mapping::FindSystemSchema("servicenow");
  ASSERT_NE(schema, nullptr);
  EXPECT_EQ(schema->status_field, "state");
  EXPECT_NE(config::FindSystemOptions("servicenow"), nullptr);
}

}  // namespace
}  // namespace ferry::servicenow
