#include "connectors/pagerduty/pd_options.h"

#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

TEST(PagerDutyOptionsTest, PollingNeedsNoWebhookOptions) {
  PagerDutyOptions options;
  options.set_status_updates_as_comments(true);
  EXPECT_TRUE(CheckPagerDutyOptions(options).empty());
  options.set_webhook_listen("0.0.0.0:8095");
  options.set_webhook_secret_env("PD_WEBHOOK_SECRET");
  EXPECT_TRUE(CheckPagerDutyOptions(options).empty());
}

TEST(PagerDutyOptionsTest, WebhookListenNeedsASecret) {
  PagerDutyOptions options;
  options.set_webhook_listen("0.0.0.0:8095");
  const std::vector<config::OptionProblem> problems = CheckPagerDutyOptions(options);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].option, "webhook_listen");
  EXPECT_NE(problems[0].fix.find("webhook_secret_env"), std::string::npos);
}

TEST(PagerDutyOptionsTest, ASecretNeedsWebhookListenAndComesOnce) {
  PagerDutyOptions options;
  options.set_webhook_secret_env("A");
  options.set_webhook_secret_file("/b");
  const std::vector<config::OptionProblem> problems = CheckPagerDutyOptions(options);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].option, "webhook_secret_file");
  EXPECT_NE(problems[0].message.find("twice"), std::string::npos);
  EXPECT_EQ(problems[1].option, "webhook_secret_env");
  EXPECT_NE(problems[1].message.find("webhook_listen is not"), std::string::npos);
}

TEST(PagerDutyOptionsTest, WebhookTlsNeedsCertificateAndKeyAndWebhookListen) {
  PagerDutyOptions options;
  options.set_webhook_listen("0.0.0.0:8095");
  options.set_webhook_secret_env("PD_WEBHOOK_SECRET");
  options.set_webhook_tls_cert_file("/etc/ferry/webhook.crt");
  options.set_webhook_tls_key_file("/etc/ferry/webhook.key");
  EXPECT_TRUE(CheckPagerDutyOptions(options).empty());

  options.clear_webhook_tls_key_file();
  std::vector<config::OptionProblem> problems = CheckPagerDutyOptions(options);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].option, "webhook_tls_cert_file");
  EXPECT_NE(problems[0].fix.find("webhook_tls_key_file"), std::string::npos);

  options.set_webhook_tls_key_file("/etc/ferry/webhook.key");
  options.clear_webhook_tls_cert_file();
  problems = CheckPagerDutyOptions(options);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].option, "webhook_tls_key_file");

  PagerDutyOptions no_listen;
  no_listen.set_webhook_tls_cert_file("/etc/ferry/webhook.crt");
  no_listen.set_webhook_tls_key_file("/etc/ferry/webhook.key");
  problems = CheckPagerDutyOptions(no_listen);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].option, "webhook_tls_cert_file");
  EXPECT_NE(problems[0].message.find("webhook_listen is not"), std::string::npos);
}

TEST(PagerDutyOptionsTest, TheSpecChecksThroughItsPrototype) {
  const config::SystemOptionsSpec spec = PagerDutyOptionsSpec();
  ASSERT_NE(spec.prototype, nullptr);
  EXPECT_EQ(spec.prototype->GetDescriptor(), PagerDutyOptions::descriptor());
  PagerDutyOptions options;
  options.set_webhook_listen("x:1");
  EXPECT_EQ(spec.check(options).size(), 1u);
}

}  // namespace
}  // namespace ferry::pagerduty
