#include "connectors/servicenow/sn_options.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::servicenow {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ServiceNowOptionsTest, NoOptionsMeanBasicAuthAndTheDocumentedDefaults) {
  EXPECT_THAT(CheckServiceNowOptions({}), IsEmpty());
  const ResolvedOptions resolved = ResolveOptions({});
  EXPECT_EQ(resolved.auth, AuthKind::kBasic);
  EXPECT_EQ(resolved.page_size, 100);
  EXPECT_EQ(resolved.table_path, "/api/now/table");
  EXPECT_EQ(resolved.close_code, "Solved (Permanently)");
  EXPECT_EQ(resolved.close_notes, "Resolved in PagerDuty by Ferry");
  EXPECT_EQ(resolved.hold_reason, "Awaiting Vendor");
  EXPECT_EQ(resolved.comment_element, "comments");
  EXPECT_EQ(resolved.correlation_display, "PagerDuty");
}

TEST(ServiceNowOptionsTest, OAuthNeedsAClientIdAndOneSecretSource) {
  ServiceNowOptions options;
  options.set_auth("oauth");
  EXPECT_THAT(CheckServiceNowOptions(options),
              ElementsAre(Field(&config::OptionProblem::option, "oauth_client_id"),
                          Field(&config::OptionProblem::option, "oauth_client_secret_env")));
  options.set_oauth_client_id("ferry");
  options.set_oauth_client_secret_env("SN_SECRET");
  EXPECT_THAT(CheckServiceNowOptions(options), IsEmpty());
  const ResolvedOptions resolved = ResolveOptions(options);
  EXPECT_EQ(resolved.auth, AuthKind::kOAuthPassword);
  EXPECT_EQ(resolved.oauth_client_secret.env(), "SN_SECRET");
  options.set_oauth_client_secret_file("/run/secrets/sn");
  EXPECT_THAT(CheckServiceNowOptions(options),
              ElementsAre(Field(&config::OptionProblem::option, "oauth_client_secret_file")));
  // The descriptor asks validation to check the secret it will read.
  options.clear_oauth_client_secret_file();
  const config::SystemOptionsSpec spec = ServiceNowOptionsSpec();
  const std::vector<config::OptionSecret> secrets = spec.secrets(options);
  ASSERT_EQ(secrets.size(), 1u);
  EXPECT_EQ(secrets[0].option, "oauth_client_secret_env");
  EXPECT_EQ(secrets[0].ref.env(), "SN_SECRET");
}

TEST(ServiceNowOptionsTest, OAuthSettingsWithoutOAuthAreAProblem) {
  ServiceNowOptions options;
  options.set_oauth_client_secret_env("SN_SECRET");
  const auto problems = CheckServiceNowOptions(options);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].option, "oauth_client_secret_env");
  EXPECT_THAT(problems[0].fix, HasSubstr("auth: oauth"));
  EXPECT_TRUE(ServiceNowOptionsSpec().secrets(options).empty());
}

TEST(ServiceNowOptionsTest, ValuesOutsideTheirSetsNameTheOptionAndTheChoices) {
  ServiceNowOptions options;
  options.set_auth("token");
  options.set_page_size(20000);
  options.set_api_version("v3");
  options.set_comment_element("notes");
  options.set_hold_reason("Awaiting Godot");
  options.set_close_code("");
  const auto problems = CheckServiceNowOptions(options);
  EXPECT_THAT(problems, ElementsAre(Field(&config::OptionProblem::option, "auth"),
                                    Field(&config::OptionProblem::option, "page_size"),
                                    Field(&config::OptionProblem::option, "api_version"),
                                    Field(&config::OptionProblem::option, "comment_element"),
                                    Field(&config::OptionProblem::option, "hold_reason"),
                                    Field(&config::OptionProblem::option, "close_code")));
  EXPECT_THAT(problems[3].fix, HasSubstr("work_notes"));
  EXPECT_THAT(problems[4].fix, HasSubstr("Awaiting Vendor"));
}

TEST(ServiceNowOptionsTest, VersionsGoInThePath) {
  ServiceNowOptions options;
  options.set_api_version("V1");
  ResolvedOptions resolved = ResolveOptions(options);
  EXPECT_EQ(resolved.table_path, "/api/now/v1/table");
  options.set_api_version("v2");
  resolved = ResolveOptions(options);
  EXPECT_EQ(resolved.table_path, "/api/now/v2/table");
}

}  // namespace
}  // namespace ferry::servicenow
