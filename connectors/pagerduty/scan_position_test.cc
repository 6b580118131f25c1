#include "connectors/pagerduty/scan_position.h"

#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

TEST(ScanPositionTest, RoundTripsThroughSourcePosition) {
  ScanPosition scan;
  scan.See("RA", absl::FromUnixSeconds(1000));
  scan.See("RB", absl::FromUnixSeconds(1010));
  auto back = ScanPosition::FromPosition(scan.ToPosition());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->horizon, absl::FromUnixSeconds(1010));
  EXPECT_EQ(back->last_id, "RB");
  EXPECT_EQ(back->seen, scan.seen);
}

TEST(ScanPositionTest, HorizonNeverMovesBack) {
  ScanPosition scan;
  scan.See("RB", absl::FromUnixSeconds(1010));
  scan.See("RA", absl::FromUnixSeconds(1000));
  EXPECT_EQ(scan.horizon, absl::FromUnixSeconds(1010));
  EXPECT_EQ(scan.last_id, "RA");
}

TEST(ScanPositionTest, PruneKeepsOnlyTheOverlap) {
  ScanPosition scan;
  scan.See("old", absl::FromUnixSeconds(100));
  scan.See("near", absl::FromUnixSeconds(950));
  scan.See("new", absl::FromUnixSeconds(1000));
  scan.Prune(absl::Seconds(60));
  EXPECT_EQ(scan.seen.count("old"), 0u);
  EXPECT_EQ(scan.seen.count("near"), 1u);
  EXPECT_EQ(scan.seen.count("new"), 1u);
}

TEST(ScanPositionTest, MalformedCursorIsRefused) {
  ferry::v1::SourcePosition position;
  position.set_cursor("not-a-number RA\n");
  EXPECT_EQ(ScanPosition::FromPosition(position).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ferry::pagerduty
