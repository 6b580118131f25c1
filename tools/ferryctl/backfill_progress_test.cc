#include "tools/ferryctl/backfill_progress.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::ctl {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

ferry::v1::BackfillProgress Progress(double fraction, int64_t read, int64_t done) {
  ferry::v1::BackfillProgress progress;
  progress.set_fraction(fraction);
  progress.set_changes_read(read);
  progress.set_changes_done(done);
  return progress;
}

const absl::Time kStart = absl::FromUnixSeconds(1800000000);

TEST(BackfillProgressViewTest, ATerminalGetsABarWithRateAndTimeLeftRedrawnInPlace) {
  BackfillProgressView view("pd-to-jira", /*terminal=*/true, kStart);
  // A quarter of the range in 30 s: 90 s more at that pace.
  const std::string line = view.Update(Progress(0.25, 300, 240), kStart + absl::Seconds(30));
  EXPECT_THAT(line, StartsWith("\rbackfill pd-to-jira [#######-----------------------]"));
  EXPECT_THAT(line, HasSubstr(" 25%  300 read, 240 done, 8.0/s, 1:30 left"));
  EXPECT_THAT(line, Not(EndsWith("\n")));

  ferry::v1::BackfillProgress done = Progress(1, 1200, 1200);
  done.set_done(true);
  const std::string last = view.Update(done, kStart + absl::Seconds(125));
  EXPECT_THAT(last, HasSubstr("[##############################] 100%"));
  EXPECT_THAT(last, HasSubstr("took 2:05"));
  EXPECT_THAT(last, EndsWith("\n"));
}

TEST(BackfillProgressViewTest, PlainOutputIsOneLinePerTenthWithoutControlCharacters) {
  BackfillProgressView view("i", /*terminal=*/false, kStart);
  const std::string first = view.Update(Progress(0.05, 10, 10), kStart + absl::Seconds(1));
  EXPECT_EQ(first, "backfill i:   5%  10 read, 10 done, 10.0/s, 0:19 left\n");
  EXPECT_EQ(view.Update(Progress(0.08, 16, 16), kStart + absl::Seconds(2)), "")
      << "the same tenth";
  const std::string next = view.Update(Progress(0.12, 30, 24), kStart + absl::Seconds(3));
  EXPECT_THAT(next, StartsWith("backfill i:  12%"));
  EXPECT_THAT(next, Not(HasSubstr("\r")));
  EXPECT_THAT(next, Not(HasSubstr("\033")));
}

TEST(BackfillProgressViewTest, AnErrorEndsTheOutputWithItsReason) {
  BackfillProgressView view("i", /*terminal=*/false, kStart);
  ferry::v1::BackfillProgress failed = Progress(0.3, 5, 5);
  failed.set_error("reader stopped: 401 Unauthorized");
  const std::string line = view.Update(failed, kStart + absl::Seconds(10));
  EXPECT_THAT(line, HasSubstr("(stopped: reader stopped: 401 Unauthorized)"));
  EXPECT_THAT(line, EndsWith("\n"));
}

TEST(BackfillProgressViewTest, NoProgressYetSaysTheTimeLeftIsUnknown) {
  BackfillProgressView view("i", /*terminal=*/true, kStart);
  EXPECT_THAT(view.Update(Progress(0, 0, 0), kStart), HasSubstr("-/s, time left unknown"));
}

}  // namespace
}  // namespace ferry::ctl
