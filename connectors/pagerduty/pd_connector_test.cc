#include "connectors/pagerduty/pd_connector.h"

#include "engine/connector/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

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
  ferry::v1::SystemConfig bad_option = System();
  (*bad_option.mutable_options())["webhooks"] = "on";
  EXPECT_THAT(std::string(MakePagerDutyConnector(bad_option, "t").status().message()),
              HasSubstr("status_updates_as_comments"));
}

}  // namespace
}  // namespace ferry::pagerduty
