#include "engine/stages/start_floor.h"

#include <vector>

#include "engine/common/proto_time.h"
#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

ferry::v1::ChangeEvent CreatedAt(absl::Time time) {
  ferry::v1::ChangeEvent change;
  *change.mutable_entity()->mutable_created_at() = ToProto(time);
  return change;
}

TEST(MarkCreatedBeforeStartTest, OnlyEntitiesCreatedStrictlyBeforeTheFloorAreMarked) {
  const absl::Time start = absl::FromUnixSeconds(1800000000);
  std::vector<ferry::v1::ChangeEvent> changes = {
      CreatedAt(start - absl::Seconds(90)),
      CreatedAt(start - absl::Milliseconds(1)),
      CreatedAt(start),
      CreatedAt(start + absl::Milliseconds(1)),
  };
  changes.push_back(ferry::v1::ChangeEvent());  // No creation time given.
  MarkCreatedBeforeStart(start, changes);
  EXPECT_TRUE(changes[0].created_before_start()) << "90 s before the start";
  EXPECT_TRUE(changes[1].created_before_start()) << "1 ms before the start";
  EXPECT_FALSE(changes[2].created_before_start()) << "at the start";
  EXPECT_FALSE(changes[3].created_before_start()) << "after the start";
  EXPECT_FALSE(changes[4].created_before_start()) << "age unknown";
}

TEST(MarkCreatedBeforeStartTest, AnEarlierFloorUnmarks) {
  const absl::Time start = absl::FromUnixSeconds(1800000000);
  std::vector<ferry::v1::ChangeEvent> changes = {CreatedAt(start - absl::Hours(1))};
  MarkCreatedBeforeStart(start, changes);
  ASSERT_TRUE(changes[0].created_before_start());
  MarkCreatedBeforeStart(start - absl::Hours(2), changes);  // A backfill's time.
  EXPECT_FALSE(changes[0].created_before_start());
}

}  // namespace
}  // namespace ferry::engine
