#include "connectors/pagerduty/pd_scan_flags.h"

#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

TEST(ScanFlagsTest, AReadOfTheOverlapStartsHoldingNothingUnmoved) {
  const ScanFlags flags;
  EXPECT_FALSE(flags.looks_back_seconds());
  EXPECT_FALSE(flags.holds_window());
  EXPECT_FALSE(flags.position_moved());
}

TEST(ScanFlagsTest, LookingBackSecondsSaysWhetherStartingMovedThePosition) {
  const ScanFlags moved = ScanFlags::LookingBackSeconds(true);
  EXPECT_TRUE(moved.looks_back_seconds());
  EXPECT_FALSE(moved.holds_window());
  EXPECT_TRUE(moved.position_moved());
  const ScanFlags unmoved = ScanFlags::LookingBackSeconds(false);
  EXPECT_TRUE(unmoved.looks_back_seconds());
  EXPECT_FALSE(unmoved.position_moved());
  EXPECT_NE(moved, unmoved);
}

TEST(ScanFlagsTest, GoingOnHoldsTheWindowAndLooksBackAsTheLastReadDid) {
  for (bool seconds : {false, true}) {
    const ScanFlags flags = ScanFlags::GoingOn(seconds);
    EXPECT_EQ(flags.looks_back_seconds(), seconds);
    EXPECT_TRUE(flags.holds_window());
    EXPECT_FALSE(flags.position_moved());
  }
}

TEST(ScanFlagsTest, HoldingAWindowChangesNothingElse) {
  ScanFlags flags = ScanFlags::LookingBackSeconds(true);
  flags.WindowHeld();
  EXPECT_TRUE(flags.holds_window());
  EXPECT_TRUE(flags.looks_back_seconds());
  EXPECT_TRUE(flags.position_moved());
}

TEST(ScanFlagsTest, OnlyEntriesThatAreNotChangesLeaveThePositionMoved) {
  ScanFlags flags;
  flags.WindowHeld();
  flags.EntryRecorded(/*is_change=*/false);
  EXPECT_TRUE(flags.position_moved());
  flags.EntryRecorded(/*is_change=*/true);
  EXPECT_FALSE(flags.position_moved()) << "the change's position is the latest";
  EXPECT_TRUE(flags.holds_window());
  EXPECT_FALSE(flags.looks_back_seconds());
}

TEST(ScanFlagsTest, AWindowReadThroughIsNoLongerHeldAndMayMoveThePosition) {
  ScanFlags flags;
  flags.WindowHeld();
  flags.EntryRecorded(/*is_change=*/true);
  flags.WindowDone(/*position_moved=*/false);
  EXPECT_FALSE(flags.holds_window());
  EXPECT_FALSE(flags.position_moved());
  flags.WindowHeld();
  flags.WindowDone(/*position_moved=*/true);
  EXPECT_TRUE(flags.position_moved());
  // A window that moves nothing keeps an earlier move.
  flags.WindowHeld();
  flags.WindowDone(/*position_moved=*/false);
  EXPECT_TRUE(flags.position_moved());
  EXPECT_EQ(flags, [] {
    ScanFlags moved;
    moved.WindowDone(true);
    return moved;
  }());
}

}  // namespace
}  // namespace ferry::pagerduty
