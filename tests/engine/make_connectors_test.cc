// MakeConnectors with the real PagerDuty connector: systems that share a
// token share one request budget, and one token cannot have two rates.
// (An integration test: engine/runtime's own tests use no real connector.)
#include <cstdlib>
#include <string>

#include "engine/runtime/stages.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

ferry::v1::SystemConfig PagerDuty(const std::string& name, int per_minute) {
  ferry::v1::SystemConfig system;
  system.set_name(name);
  system.set_kind("pagerduty");
  system.set_url("http://127.0.0.1:1");
  system.mutable_token()->set_env("FERRY_STAGES_TEST_TOKEN");
  system.set_requests_per_minute(per_minute);
  return system;
}

TEST(MakeConnectorsTest, SystemsWithOneTokenShareOneBudget) {
  setenv("FERRY_STAGES_TEST_TOKEN", "token-value-1234", 1);
  ferry::v1::FerryConfig config;
  *config.add_systems() = PagerDuty("pd-a", 600);
  *config.add_systems() = PagerDuty("pd-b", 600);
  ConnectorServices services;
  ASSERT_TRUE(MakeConnectors(config, &services).ok());
  // The bucket is keyed by the secret reference, not per system: asking
  // for it with another rate finds the one both connectors use.
  auto other = services.budgets.ForCredential("env:FERRY_STAGES_TEST_TOKEN",
                                              {1, 1});
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(MakeConnectorsTest, OneTokenWithTwoRatesIsRefusedNamingTheCredential) {
  setenv("FERRY_STAGES_TEST_TOKEN", "token-value-1234", 1);
  ferry::v1::FerryConfig config;
  *config.add_systems() = PagerDuty("pd-a", 600);
  *config.add_systems() = PagerDuty("pd-b", 120);
  ConnectorServices services;
  auto made = MakeConnectors(config, &services);
  ASSERT_FALSE(made.ok());
  EXPECT_THAT(std::string(made.status().message()),
              ::testing::HasSubstr("env:FERRY_STAGES_TEST_TOKEN"));
  EXPECT_THAT(std::string(made.status().message()),
              ::testing::Not(::testing::HasSubstr("token-value-1234")));
}

}  // namespace
}  // namespace ferry::engine
