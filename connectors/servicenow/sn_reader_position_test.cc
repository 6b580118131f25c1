#include "connectors/servicenow/sn_reader_position.h"

#include <tuple>

#include "absl/time/time.h"
#include "engine/common/proto_time.h"
#include "gtest/gtest.h"

namespace ferry::servicenow {
namespace {

const absl::Time kT = absl::FromUnixSeconds(1'796'000'000);

RecordVersion V(absl::Time updated, const std::string& sys_id, int64_t mod) {
  return {updated, sys_id, mod};
}

bool Before(const ferry::v1::SourcePosition& a, const ferry::v1::SourcePosition& b) {
  return std::make_tuple(FromProto(a.time()), a.tie_breaker()) <
         std::make_tuple(FromProto(b.time()), b.tie_breaker());
}

ReadMark MarkAt(const std::optional<ferry::v1::SourcePosition>& position) {
  auto mark = ReadMark::FromPosition(position);
  EXPECT_TRUE(mark.ok()) << mark.status();
  return *mark;
}

TEST(ReadMarkTest, WithoutAPositionEverythingIsNew) {
  ReadMark mark = MarkAt(std::nullopt);
  EXPECT_EQ(mark.second(), absl::UnixEpoch());
  EXPECT_FALSE(mark.Seen(V(kT, "a", 0)));
}

TEST(ReadMarkTest, AStartTimeReadsItsWholeSecond) {
  ferry::v1::SourcePosition start;
  *start.mutable_time() = ToProto(kT + absl::Milliseconds(700));
  ReadMark mark = MarkAt(start);
  EXPECT_EQ(mark.second(), kT) << "ServiceNow keeps seconds: the start's second is read whole";
  EXPECT_FALSE(mark.Seen(V(kT, "a", 0)));
  EXPECT_TRUE(mark.Seen(V(kT - absl::Seconds(1), "a", 9)));
}

TEST(ReadMarkTest, PositionsStrictlyIncreaseWithinASecondAndAcrossSeconds) {
  ReadMark mark = MarkAt(std::nullopt);
  // Within one second, sys_ids out of order (a late version of "b" after
  // "c", then "a"): the count keeps them increasing.
  const auto p1 = mark.Advance(V(kT, "c", 1));
  const auto p2 = mark.Advance(V(kT, "b", 4));
  const auto p3 = mark.Advance(V(kT, "c", 2));
  const auto p4 = mark.Advance(V(kT, "a", 0));
  const auto p5 = mark.Advance(V(kT + absl::Seconds(1), "a", 1));
  EXPECT_TRUE(Before(p1, p2));
  EXPECT_TRUE(Before(p2, p3));
  EXPECT_TRUE(Before(p3, p4));
  EXPECT_TRUE(Before(p4, p5));
  EXPECT_EQ(p3.tie_breaker(), "000000003/c/2");
}

TEST(ReadMarkTest, TheSameSecondIsDeduplicatedByModCount) {
  ReadMark mark = MarkAt(std::nullopt);
  mark.Advance(V(kT, "a", 3));
  EXPECT_TRUE(mark.Seen(V(kT, "a", 3)));
  EXPECT_TRUE(mark.Seen(V(kT, "a", 2)));
  EXPECT_FALSE(mark.Seen(V(kT, "a", 4))) << "updated again within the second";
  EXPECT_FALSE(mark.Seen(V(kT, "b", 0))) << "another record of the second";
  EXPECT_FALSE(mark.Seen(V(kT + absl::Seconds(1), "a", 3)));
}

TEST(ReadMarkTest, ACheckpointRestoresExactlyWhatWasSeen) {
  ReadMark first = MarkAt(std::nullopt);
  first.Advance(V(kT - absl::Seconds(5), "z", 1));
  first.Advance(V(kT, "b", 2));
  const ferry::v1::SourcePosition checkpoint = first.Advance(V(kT, "a", 7));

  ReadMark restored = MarkAt(checkpoint);
  EXPECT_EQ(restored.second(), kT);
  EXPECT_TRUE(restored.Seen(V(kT, "a", 7)));
  EXPECT_TRUE(restored.Seen(V(kT, "b", 2)));
  EXPECT_FALSE(restored.Seen(V(kT, "b", 3)));
  EXPECT_FALSE(restored.Seen(V(kT, "z", 1))) << "the earlier second is not in the cursor";
  EXPECT_EQ(restored.SeenModCount("a"), 7);
  EXPECT_EQ(restored.SeenModCount("z"), std::nullopt);
  // Positions after a restart still come after the checkpoint.
  EXPECT_TRUE(Before(checkpoint, restored.Advance(V(kT, "b", 3))));
}

TEST(ReadMarkTest, ACheckpointNotWrittenByThisReaderIsRefusedWithTheFix) {
  ferry::v1::SourcePosition jira_like;
  *jira_like.mutable_time() = ToProto(kT);
  jira_like.set_tie_breaker("00000000000000010001");
  jira_like.set_cursor("garbage");
  auto mark = ReadMark::FromPosition(jira_like);
  ASSERT_FALSE(mark.ok());
  EXPECT_EQ(mark.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(mark.status().message().find("ferryctl backfill"), std::string::npos)
      << mark.status();
}

}  // namespace
}  // namespace ferry::servicenow
