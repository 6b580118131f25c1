#include "engine/runtime/stages.h"

#include <cstdlib>
#include <set>

#include "engine/common/proto_time.h"
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

std::unique_ptr<StateStore> OpenStore(const std::string& name) {
  auto store = StateStore::Open(std::string(std::getenv("TEST_TMPDIR")) + "/" + name, {});
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

TEST(IntegrationStartTest, TheConfiguredStartTimeWins) {
  auto store = OpenStore("configured");
  ferry::v1::IntegrationConfig integration;
  integration.set_name("pd-jira");
  *integration.mutable_start_time() = ToProto(absl::FromUnixSeconds(1000));
  auto start = IntegrationStart(integration, store.get(), absl::FromUnixSeconds(5000));
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(FromProto(start->time()), absl::FromUnixSeconds(1000));
}

TEST(IntegrationStartTest, WithoutOneTheFirstStartIsKeptAcrossRestarts) {
  ferry::v1::IntegrationConfig integration;
  integration.set_name("pd-jira");
  {
    auto store = OpenStore("first_start");
    auto first = IntegrationStart(integration, store.get(),
                                  absl::FromUnixMillis(5000700));
    ASSERT_TRUE(first.ok()) << first.status();
    EXPECT_EQ(FromProto(first->time()), absl::FromUnixSeconds(5000));
  }
  // Later, in another process over the same state: still the first start.
  auto store = OpenStore("first_start");
  auto later = IntegrationStart(integration, store.get(), absl::FromUnixSeconds(9000));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(FromProto(later->time()), absl::FromUnixSeconds(5000));
  // Another integration has its own.
  integration.set_name("other");
  auto other = IntegrationStart(integration, store.get(), absl::FromUnixSeconds(9000));
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(FromProto(other->time()), absl::FromUnixSeconds(9000));
}

}  // namespace
}  // namespace ferry::engine
