#include "connectors/pagerduty/pd_log_scan.h"

#include "connectors/pagerduty/scan_position.h"
#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

absl::Time T(int64_t seconds) { return absl::FromUnixSeconds(seconds); }

nlohmann::json Entry(const std::string& id, int64_t seconds) {
  return {{"id", id}, {"type", "acknowledge_log_entry"},
          {"created_at", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", T(seconds),
                                          absl::UTCTimeZone())}};
}

// A checkpoint at `horizon` that has seen the entries `seen` (id, seconds).
ferry::v1::SourcePosition Checkpoint(
    int64_t horizon, const std::vector<std::pair<std::string, int64_t>>& seen = {}) {
  ScanPosition position;
  position.horizon = T(horizon);
  for (const auto& [id, seconds] : seen) position.seen[id] = T(seconds);
  return position.ToPosition();
}

ScanPosition Decode(const ferry::v1::SourcePosition& position) {
  auto decoded = ScanPosition::FromPosition(position);
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  return decoded.ok() ? *decoded : ScanPosition();
}

// Overlap 120 s, re-read every 60 s.
LogScan NewScan(std::optional<ferry::v1::SourcePosition> start = std::nullopt,
                absl::Time origin = T(1000)) {
  return LogScan(LogScanOptions{absl::Seconds(120), absl::Seconds(60)}, std::move(start),
                 origin);
}

// Reads every remaining window of `scan` as empty.
void ReadEmptyWindows(LogScan& scan) {
  while (std::optional<LogScan::Window> window = scan.NextWindow(absl::Hours(1))) {
    scan.Hold(window->until, {});
    ASSERT_EQ(scan.Peek(), nullptr);
    scan.FinishWindow();
  }
  EXPECT_TRUE(scan.Done());
}

TEST(LogScanTest, AFirstReadStartsAtTheReadersOriginAndReportsNothingBefore) {
  LogScan scan = NewScan(std::nullopt, T(1000) + absl::Milliseconds(700));
  ASSERT_TRUE(scan.Begin(std::nullopt, T(1101)).ok());
  EXPECT_EQ(scan.flags(), ScanFlags());
  std::optional<LogScan::Window> window = scan.NextWindow(absl::Hours(1));
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->since, T(880)) << "the overlap before the origin's second";
  EXPECT_EQ(window->until, T(1101)) << "not past now";
  EXPECT_FALSE(scan.Reportable(T(999)));
  EXPECT_TRUE(scan.Reportable(T(1000)));
}

TEST(LogScanTest, AReaderStartIsUsedWithoutACheckpoint) {
  LogScan scan = NewScan(Checkpoint(500));
  ASSERT_TRUE(scan.Begin(std::nullopt, T(1101)).ok());
  EXPECT_EQ(scan.NextWindow(absl::Hours(1))->since, T(380));
  EXPECT_FALSE(scan.Reportable(T(499)));
}

TEST(LogScanTest, ACheckpointReadsTheOverlapAgainAndReportsWhatItDidNotSee) {
  LogScan scan = NewScan();
  ASSERT_TRUE(scan.Begin(Checkpoint(1000, {{"RSEEN", 990}}), T(1101)).ok());
  EXPECT_EQ(scan.NextWindow(absl::Hours(1))->since, T(880));
  EXPECT_TRUE(scan.Reportable(T(0))) << "an unseen entry in the overlap was shown late";
  EXPECT_TRUE(scan.Seen("RSEEN"));
  EXPECT_FALSE(scan.Seen("RNEW"));
}

TEST(LogScanTest, WindowsGoFromWhereTheLastEndedUpToNow) {
  LogScan scan = NewScan();
  ASSERT_TRUE(scan.Begin(Checkpoint(1000), T(1101)).ok());
  std::optional<LogScan::Window> window = scan.NextWindow(absl::Seconds(100));
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->until, T(980));
  // Narrowed by the window reader: the next starts where this one ended.
  scan.Hold(T(900), {});
  EXPECT_FALSE(scan.NextWindow(absl::Seconds(100)).has_value()) << "a window is held";
  EXPECT_FALSE(scan.Done());
  scan.FinishWindow();
  window = scan.NextWindow(absl::Seconds(100));
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->since, T(900));
  EXPECT_EQ(window->until, T(1000));
  scan.Hold(window->until, {});
  scan.FinishWindow();
  window = scan.NextWindow(absl::Seconds(500));
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->until, T(1101));
  scan.Hold(window->until, {});
  scan.FinishWindow();
  EXPECT_TRUE(scan.Done());
  EXPECT_FALSE(scan.NextWindow(absl::Seconds(500)).has_value());
}

TEST(LogScanTest, EntriesMoveThePositionAndOnlyChangesCarryIt) {
  LogScan scan = NewScan();
  ASSERT_TRUE(scan.Begin(Checkpoint(1000, {{"RSEEN", 990}}), T(1101)).ok());
  std::optional<LogScan::Window> window = scan.NextWindow(absl::Hours(1));
  scan.Hold(window->until, {Entry("RSEEN", 990), Entry("RSKIP", 1010), Entry("RCHANGE", 1020)});
  EXPECT_TRUE(scan.flags().holds_window());
  ASSERT_NE(scan.Peek(), nullptr);
  EXPECT_TRUE(scan.Seen("RSEEN"));
  scan.Skip();
  EXPECT_EQ((*scan.Peek())["id"], "RSKIP");
  scan.Record(T(1010), /*is_change=*/false);
  EXPECT_TRUE(scan.flags().position_moved());
  EXPECT_TRUE(scan.Seen("RSKIP"));
  scan.Record(T(1020), /*is_change=*/true);
  EXPECT_FALSE(scan.flags().position_moved());
  const ferry::v1::SourcePosition change = scan.Position();
  EXPECT_EQ(change.time().seconds(), 1020);
  EXPECT_EQ(change.tie_breaker(), "RCHANGE");
  EXPECT_EQ(scan.Peek(), nullptr);
  // The read window's end is how far the read has looked.
  scan.FinishWindow();
  EXPECT_TRUE(scan.Done());
  std::optional<ferry::v1::SourcePosition> scanned_to = scan.End();
  ASSERT_TRUE(scanned_to.has_value());
  EXPECT_EQ(scanned_to->time().seconds(), 1101);
  EXPECT_EQ(Decode(*scanned_to).seen.count("RSKIP"), 1u);
}

TEST(LogScanTest, AReadEndingOnAChangeGivesNoScannedTo) {
  LogScan scan = NewScan();
  ASSERT_TRUE(scan.Begin(Checkpoint(1000), T(1001)).ok());
  // The window to 1001, narrowed to 1000.
  scan.Hold(T(1000), {Entry("RCHANGE", 1000)});
  scan.Record(T(1000), /*is_change=*/true);
  scan.FinishWindow();
  EXPECT_FALSE(scan.flags().position_moved()) << "the horizon did not move past the change";
  // The last second is left to the next read.
  EXPECT_FALSE(scan.Done());
  EXPECT_FALSE(scan.End().has_value());
}

TEST(LogScanTest, AReadThatStoppedEarlyGoesOnWithTheRestOfItsWindow) {
  LogScan scan = NewScan();
  ASSERT_TRUE(scan.Begin(std::nullopt, T(1101)).ok());
  std::optional<LogScan::Window> window = scan.NextWindow(absl::Hours(1));
  scan.Hold(window->until, {Entry("ROLD", 990), Entry("RA", 1010), Entry("RB", 1020)});
  scan.Record(T(990), /*is_change=*/false);
  scan.Record(T(1010), /*is_change=*/true);
  const ferry::v1::SourcePosition stopped_at = scan.Position();
  EXPECT_FALSE(scan.End().has_value()) << "the last change carries the position";

  // Another position (or none) reads the log again.
  ASSERT_TRUE(scan.Begin(Checkpoint(1000), T(1102)).ok());
  EXPECT_FALSE(scan.flags().holds_window());
  // A failed read (no End) left nothing either.
  ASSERT_TRUE(scan.Begin(stopped_at, T(1102)).ok());
  EXPECT_FALSE(scan.flags().holds_window());

  // From the position it stopped at, with nothing in between: the rest.
  LogScan again = NewScan();
  ASSERT_TRUE(again.Begin(std::nullopt, T(1101)).ok());
  window = again.NextWindow(absl::Hours(1));
  again.Hold(window->until, {Entry("ROLD", 990), Entry("RA", 1010), Entry("RB", 1020)});
  again.Record(T(990), /*is_change=*/false);
  again.Record(T(1010), /*is_change=*/true);
  again.End();
  ASSERT_TRUE(again.Begin(stopped_at, T(1105)).ok());
  EXPECT_EQ(again.flags(), ScanFlags::GoingOn(false));
  EXPECT_FALSE(again.NextWindow(absl::Hours(1)).has_value());
  ASSERT_NE(again.Peek(), nullptr);
  EXPECT_EQ((*again.Peek())["id"], "RB");
  EXPECT_FALSE(again.Reportable(T(999))) << "the first read's start still holds";
  again.Record(T(1020), /*is_change=*/true);
  again.FinishWindow();
  // Then on from that window's end to the new now.
  window = again.NextWindow(absl::Hours(1));
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->since, T(1101));
  EXPECT_EQ(window->until, T(1105));
}

// A read that stops between two windows (told to wait for a slower reader
// of a shared catch-up) far back in the log goes on from exactly where it
// stopped, so that it asks for the window the others read; one that stops
// within the overlap of its end reads the overlap again.
TEST(LogScanTest, AReadStoppedBetweenWindowsFarBackGoesOnFromThere) {
  LogScan scan = NewScan(Checkpoint(1000));
  ASSERT_TRUE(scan.Begin(std::nullopt, T(10000)).ok());
  std::optional<LogScan::Window> window = scan.NextWindow(absl::Seconds(500));
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->since, T(880));
  scan.Hold(window->until, {});
  scan.FinishWindow();
  // Stopped before the next window.
  std::optional<ferry::v1::SourcePosition> stopped_at = scan.End();
  ASSERT_TRUE(stopped_at.has_value());
  ASSERT_TRUE(scan.Begin(stopped_at, T(10005)).ok());
  window = scan.NextWindow(absl::Seconds(500));
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->since, T(1380)) << "where the last read stopped, no look back";
  EXPECT_EQ(window->until, T(1880));

  // Near its end, the overlap is read again as after any stop.
  LogScan near = NewScan(Checkpoint(1000));
  ASSERT_TRUE(near.Begin(std::nullopt, T(1400)).ok());
  window = near.NextWindow(absl::Seconds(500));
  near.Hold(T(1300), {});
  near.FinishWindow();
  stopped_at = near.End();
  ASSERT_TRUE(stopped_at.has_value());
  ASSERT_TRUE(near.Begin(stopped_at, T(1400)).ok());
  window = near.NextWindow(absl::Seconds(500));
  ASSERT_TRUE(window.has_value());
  EXPECT_LT(window->since, T(1300));
}

TEST(LogScanTest, PollsBetweenOverlapRereadsLookBackSecondsAndKeepWhereItStarts) {
  LogScan scan = NewScan();
  ASSERT_TRUE(scan.Begin(Checkpoint(1000), T(1011)).ok());
  ReadEmptyWindows(scan);
  std::optional<ferry::v1::SourcePosition> end = scan.End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->time().seconds(), 1011);

  // The next poll from there looks back 5 s, and the position keeps where
  // the overlap starts.
  ASSERT_TRUE(scan.Begin(end, T(1021)).ok());
  EXPECT_EQ(scan.flags(), ScanFlags::LookingBackSeconds(true));
  EXPECT_EQ(scan.NextWindow(absl::Hours(1))->since, T(1006));
  ReadEmptyWindows(scan);
  end = scan.End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(Decode(*end).reread_from, T(891));

  // One more: the re-read start is kept, so it does not move the position.
  ASSERT_TRUE(scan.Begin(end, T(1031)).ok());
  EXPECT_EQ(scan.flags(), ScanFlags::LookingBackSeconds(false));
  EXPECT_EQ(scan.NextWindow(absl::Hours(1))->since, T(1016));
  ReadEmptyWindows(scan);
  end = scan.End();
  ASSERT_TRUE(end.has_value());

  // A restart reads the overlap again from where it starts.
  LogScan restarted = NewScan();
  ASSERT_TRUE(restarted.Begin(end, T(1032)).ok());
  EXPECT_EQ(restarted.flags(), ScanFlags());
  EXPECT_EQ(restarted.NextWindow(absl::Hours(1))->since, T(891));

  // So does this reader once overlap_reread_every has passed; having read
  // it, the position no longer needs an earlier start.
  ASSERT_TRUE(scan.Begin(end, T(1080)).ok());
  EXPECT_EQ(scan.flags(), ScanFlags());
  EXPECT_EQ(scan.NextWindow(absl::Hours(1))->since, T(891));
  ReadEmptyWindows(scan);
  end = scan.End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(Decode(*end).reread_from, std::nullopt);
  EXPECT_EQ(end->time().seconds(), 1080);
}

TEST(LogScanTest, AReadOfTheOverlapMovesWhereTheNextMustStartAsItGoes) {
  ScanPosition checkpoint;
  checkpoint.horizon = T(1031);
  checkpoint.reread_from = T(891);
  LogScan scan = NewScan();
  ASSERT_TRUE(scan.Begin(checkpoint.ToPosition(), T(1080)).ok());
  std::optional<LogScan::Window> window = scan.NextWindow(absl::Hours(1));
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->since, T(891));
  scan.Hold(window->until, {Entry("RLATE", 1020)});
  scan.Record(T(1020), /*is_change=*/true);
  // Everything before 1020 was read again; what was logged before 900 was
  // shown by then.
  EXPECT_EQ(Decode(scan.Position()).reread_from, T(900));
  scan.FinishWindow();
  std::optional<ferry::v1::SourcePosition> end = scan.End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(Decode(*end).reread_from, std::nullopt) << "the overlap itself starts later now";
}

TEST(LogScanTest, AMalformedCheckpointIsRefused) {
  ferry::v1::SourcePosition position;
  position.set_cursor("not-a-number RA\n");
  LogScan scan = NewScan();
  EXPECT_EQ(scan.Begin(position, T(1101)).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ferry::pagerduty
