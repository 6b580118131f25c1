#include "connectors/pagerduty/pd_connector.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "connectors/pagerduty/pd_options.h"
#include "engine/config/yaml_proto.h"
#include "engine/connector/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/support/self_signed.h"

namespace ferry::pagerduty {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

ferry::v1::SystemConfig System() {
  ferry::v1::SystemConfig system;
  system.set_name("pd-prod");
  system.set_kind("pagerduty");
  system.set_url("https://api.pagerduty.com");
  system.set_user_email("ferry@example.com");
  return system;
}

TEST(PdConnectorTest, KindIsRegistered) {
  EXPECT_THAT(engine::ConnectorRegistry::Kinds(), Contains("pagerduty"));
  auto connector = engine::ConnectorRegistry::Create(System(), "token-1234");
  EXPECT_TRUE(connector.ok()) << connector.status();
}

TEST(PdConnectorTest, SettingsAreValidated) {
  ferry::v1::SystemConfig no_url = System();
  no_url.clear_url();
  EXPECT_THAT(std::string(MakePagerDutyConnector(no_url, "t").status().message()),
              HasSubstr("url"));
  EXPECT_THAT(std::string(MakePagerDutyConnector(System(), "").status().message()),
              HasSubstr("token"));
  // Options are typed: a map of strings (the old form) is refused by name.
  ferry::v1::SystemConfig untyped = System();
  (*untyped.mutable_options())["webhooks"] = "on";
  EXPECT_THAT(std::string(MakePagerDutyConnector(untyped, "t").status().message()),
              HasSubstr("untyped options map"));
}

// The message of making a connector of `system` (empty when it was made).
std::string MakeError(const ferry::v1::SystemConfig& system) {
  return std::string(MakePagerDutyConnector(system, "t").status().message());
}

// Reads `options` as System()'s YAML `options:` block, the way the config
// loader does, into `*system`; returns every problem as "path: message.
// Fix: fix" lines.
std::string ReadOptions(const std::map<std::string, std::string>& options,
                        ferry::v1::SystemConfig* system) {
  std::string yaml = "name: pd-prod\nkind: pagerduty\nurl: https://api.pagerduty.com\n"
                     "user_email: ferry@example.com\noptions:\n";
  for (const auto& [name, value] : options) {
    yaml += "  " + name + ": \"" + value + "\"\n";
  }
  config::SourceMap sources;
  std::vector<ferry::v1::ConfigProblem> problems;
  config::ReadYamlIntoMessage(yaml, "pd.yaml", system, &sources, &problems);
  std::string out;
  for (const auto& problem : problems) {
    out += problem.field_path() + ": " + problem.message() + ". Fix: " + problem.fix() + "\n";
  }
  return out;
}

ferry::v1::SystemConfig WithOptions(const std::map<std::string, std::string>& options) {
  ferry::v1::SystemConfig system;
  EXPECT_EQ(ReadOptions(options, &system), "");
  return system;
}

std::string OptionProblems(const std::map<std::string, std::string>& options) {
  ferry::v1::SystemConfig system;
  return ReadOptions(options, &system);
}

TEST(PdConnectorTest, OptionsAreReadIntoPagerDutyOptions) {
  const ferry::v1::SystemConfig system =
      WithOptions({{"status_updates_as_comments", "true"}, {"reescalate_acknowledged", "false"}});
  PagerDutyOptions options;
  ASSERT_TRUE(system.typed_options().UnpackTo(&options));
  EXPECT_TRUE(options.status_updates_as_comments());
  EXPECT_FALSE(options.reescalate_acknowledged());
  EXPECT_EQ(MakeError(system), "");
}

TEST(PdConnectorTest, UnknownOptionsNameTheClosestOption) {
  EXPECT_THAT(OptionProblems({{"webhook_listn", "on"}}),
              HasSubstr("options.webhook_listn: unknown field 'webhook_listn'. "
                        "Fix: did you mean 'webhook_listen'?"));
  const std::string far = OptionProblems({{"push", "on"}});
  EXPECT_THAT(far, HasSubstr("webhook_listen"));
  EXPECT_THAT(far, HasSubstr("webhook_secret_env"));
  EXPECT_THAT(far, HasSubstr("webhook_secret_file"));
}

TEST(PdConnectorTest, AnInlineSecretIsRefusedWithoutBeingRepeated) {
  const std::string message = OptionProblems({{"webhook_secret", "inline-s3cret"}});
  EXPECT_THAT(message, HasSubstr("unknown field 'webhook_secret'"));
  EXPECT_THAT(message, HasSubstr("webhook_secret_"));
  EXPECT_THAT(message, Not(HasSubstr("inline-s3cret")));
  EXPECT_THAT(OptionProblems({{"reescalate_acknowledged", "maybe"}}),
              HasSubstr("options.reescalate_acknowledged: 'maybe' is not true or false"));
}

TEST(PdConnectorTest, WebhookOptionsGoTogether) {
  EXPECT_THAT(MakeError(WithOptions({{"webhook_listen", "127.0.0.1:0"}})),
              HasSubstr("webhook_listen is set but no signing secret is"));
  EXPECT_THAT(MakeError(WithOptions({{"webhook_secret_env", "PD_WEBHOOK_SECRET"}})),
              HasSubstr("webhook_listen is not"));
  EXPECT_THAT(MakeError(WithOptions({{"webhook_listen", "127.0.0.1:0"},
                                     {"webhook_secret_env", "PD_WEBHOOK_SECRET"},
                                     {"webhook_secret_file", "/run/secrets/pd-webhook"}})),
              HasSubstr("not both"));
}

TEST(PdConnectorTest, AnUnreadableSecretNamesItsSource) {
  unsetenv("FERRY_TEST_UNSET_WEBHOOK_SECRET");
  EXPECT_THAT(MakeError(WithOptions({{"webhook_listen", "127.0.0.1:0"},
                                     {"webhook_secret_env", "FERRY_TEST_UNSET_WEBHOOK_SECRET"}})),
              HasSubstr("FERRY_TEST_UNSET_WEBHOOK_SECRET"));
  EXPECT_THAT(MakeError(WithOptions({{"webhook_listen", "127.0.0.1:0"},
                                     {"webhook_secret_file", "/nonexistent/pd-webhook"}})),
              HasSubstr("/nonexistent/pd-webhook"));
}

TEST(PdConnectorTest, PushModeListensForTheConnectorsLifetime) {
  setenv("FERRY_TEST_WEBHOOK_SECRET", "s3cret-webhook-key", 1);
  const ferry::v1::SystemConfig system = WithOptions(
      {{"webhook_listen", "127.0.0.1:0"}, {"webhook_secret_env", "FERRY_TEST_WEBHOOK_SECRET"}});
  auto connector = MakePagerDutyConnector(system, "t");
  ASSERT_TRUE(connector.ok()) << connector.status();
  auto port = WebhookPort(**connector);
  ASSERT_TRUE(port.ok()) << port.status();
  httplib::Client client("127.0.0.1", *port);
  auto unsigned_post = client.Post("/pagerduty/webhook", "{}", "application/json");
  ASSERT_TRUE(unsigned_post);
  EXPECT_EQ(unsigned_post->status, 401);

  // While it listens, a second connector on the same address cannot start.
  const ferry::v1::SystemConfig same =
      WithOptions({{"webhook_listen", "127.0.0.1:" + std::to_string(*port)},
                   {"webhook_secret_env", "FERRY_TEST_WEBHOOK_SECRET"}});
  const std::string busy = MakeError(same);
  EXPECT_THAT(busy, HasSubstr("webhook_listen"));
  EXPECT_THAT(busy, HasSubstr("127.0.0.1:" + std::to_string(*port)));
  EXPECT_THAT(busy, Not(HasSubstr("s3cret-webhook-key")));

  // Once destroyed (as a reload does), the address is free again.
  connector->reset();
  auto again = MakePagerDutyConnector(same, "t");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(WebhookPort(**again).value_or(0), *port);
}

TEST(PdConnectorTest, PushModeServesHttpsWithTheTlsOptions) {
  setenv("FERRY_TEST_WEBHOOK_SECRET", "s3cret-webhook-key", 1);
  const testing::PemFiles pem = testing::MintSelfSignedCertificate(std::getenv("TEST_TMPDIR"));
  auto connector = MakePagerDutyConnector(
      WithOptions({{"webhook_listen", "127.0.0.1:0"},
                   {"webhook_secret_env", "FERRY_TEST_WEBHOOK_SECRET"},
                   {"webhook_tls_cert_file", pem.certificate},
                   {"webhook_tls_key_file", pem.private_key}}),
      "t");
  ASSERT_TRUE(connector.ok()) << connector.status();
  auto port = WebhookPort(**connector);
  ASSERT_TRUE(port.ok()) << port.status();
  httplib::Client https("https://127.0.0.1:" + std::to_string(*port));
  https.set_ca_cert_path(pem.certificate.c_str());
  https.enable_server_certificate_verification(true);
  auto unsigned_post = https.Post("/pagerduty/webhook", "{}", "application/json");
  ASSERT_TRUE(unsigned_post) << httplib::to_string(unsigned_post.error());
  EXPECT_EQ(unsigned_post->status, 401);

  EXPECT_THAT(MakeError(WithOptions({{"webhook_listen", "127.0.0.1:0"},
                                     {"webhook_secret_env", "FERRY_TEST_WEBHOOK_SECRET"},
                                     {"webhook_tls_cert_file", pem.certificate}})),
              HasSubstr("webhook_tls_key_file"));
  EXPECT_THAT(MakeError(WithOptions({{"webhook_listen", "127.0.0.1:0"},
                                     {"webhook_secret_env", "FERRY_TEST_WEBHOOK_SECRET"},
                                     {"webhook_tls_cert_file", "/nonexistent/webhook.crt"},
                                     {"webhook_tls_key_file", "/nonexistent/webhook.key"}})),
              HasSubstr("/nonexistent/webhook.crt"));
}

TEST(PdConnectorTest, AWebhookTlsFileThatDoesNotLoadIsNamedWithItsOptionAndCause) {
  setenv("FERRY_TEST_WEBHOOK_SECRET", "s3cret-webhook-key", 1);
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/webhook_tls_causes";
  std::filesystem::create_directories(dir);
  const testing::PemFiles pem = testing::MintSelfSignedCertificate(dir);
  auto with_files = [](const std::string& cert, const std::string& key) {
    return WithOptions({{"webhook_listen", "127.0.0.1:0"},
                        {"webhook_secret_env", "FERRY_TEST_WEBHOOK_SECRET"},
                        {"webhook_tls_cert_file", cert},
                        {"webhook_tls_key_file", key}});
  };
  const std::string missing = MakeError(with_files(dir + "/none.crt", pem.private_key));
  EXPECT_THAT(missing, HasSubstr("option webhook_tls_cert_file: " + dir +
                                 "/none.crt does not exist"));
  EXPECT_THAT(missing, Not(HasSubstr("webhook_listen")));
  EXPECT_THAT(MakeError(with_files(pem.certificate, dir)),
              HasSubstr("option webhook_tls_key_file: " + dir + " is a directory"));
  EXPECT_THAT(MakeError(with_files(pem.private_key, pem.private_key)),
              HasSubstr("option webhook_tls_cert_file: " + pem.private_key +
                        " holds no PEM certificate"));
  EXPECT_THAT(MakeError(with_files(pem.certificate, pem.certificate)),
              HasSubstr("option webhook_tls_key_file: " + pem.certificate +
                        " holds no PEM private key"));
}

TEST(PdConnectorTest, WithoutPushModeThereIsNoWebhookPort) {
  auto connector = MakePagerDutyConnector(System(), "t");
  ASSERT_TRUE(connector.ok());
  EXPECT_EQ(WebhookPort(**connector).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace ferry::pagerduty
