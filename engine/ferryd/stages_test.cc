#include "engine/ferryd/stages.h"

#include <cstdlib>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

TEST(ShardTest, EveryNameHasExactlyOneOwner) {
  for (const char* name : {"pd-jira", "a", "", "integration/sys/PSVC1"}) {
    int owners = 0;
    for (int i = 0; i < 3; ++i) owners += Shard{i, 3}.Owns(name);
    EXPECT_EQ(owners, 1) << name;
  }
}

TEST(ShardTest, StableAcrossProcessesAndBuilds) {
  // FNV-1a: fixed values, so processes of different builds agree.
  EXPECT_EQ(ShardOf("pd-jira", 1000), ShardOf("pd-jira", 1000));
  EXPECT_EQ(ShardOf("", 7), static_cast<int>(14695981039346656037ull % 7));
  EXPECT_EQ(ShardOf("a", 1000), static_cast<int>(
      ((14695981039346656037ull ^ 'a') * 1099511628211ull) % 1000));
}

TEST(ShardTest, NamesSpreadOverShards) {
  std::set<int> used;
  for (int i = 0; i < 100; ++i) used.insert(ShardOf("integration-" + std::to_string(i), 4));
  EXPECT_EQ(used.size(), 4u);
}

TEST(ShardTest, OneShardOwnsEverything) {
  EXPECT_TRUE(Shard().Owns("anything"));
}

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
