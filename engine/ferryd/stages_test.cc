#include "engine/ferryd/stages.h"

#include <set>

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

}  // namespace
}  // namespace ferry::engine
