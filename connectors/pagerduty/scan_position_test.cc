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

TEST(ScanPositionTest, RereadFromRoundTripsAndKeepsItsEntries) {
  ScanPosition scan;
  scan.See("early", absl::FromUnixSeconds(900));
  scan.See("new", absl::FromUnixSeconds(1000));
  scan.reread_from = absl::FromUnixSeconds(850);
  EXPECT_EQ(scan.LookFrom(absl::Seconds(60)), absl::FromUnixSeconds(850));
  scan.Prune(absl::Seconds(60));
  EXPECT_EQ(scan.seen.count("early"), 1u);
  auto back = ScanPosition::FromPosition(scan.ToPosition());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->reread_from, scan.reread_from);
  EXPECT_EQ(back->seen, scan.seen);
  // Without it, the overlap alone.
  back->reread_from.reset();
  EXPECT_EQ(back->LookFrom(absl::Seconds(60)), absl::FromUnixSeconds(940));
}

TEST(ScanPositionTest, MalformedCursorIsRefused) {
  ferry::v1::SourcePosition position;
  position.set_cursor("not-a-number RA\n");
  EXPECT_EQ(ScanPosition::FromPosition(position).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ferry::pagerduty
