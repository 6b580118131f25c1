#include "tools/pagerduty_sim/time_format.h"

#include "gtest/gtest.h"

namespace ferry::pagerduty_sim {
namespace {

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

TEST(TimeFormatTest, ParsesTheIso8601FormsPagerDutyDocuments) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(*ParseIsoTime("2011-05-06T17:00:00Z", utc), Utc(2011, 5, 6, 17, 0));
  EXPECT_EQ(*ParseIsoTime("2011-05-06T17:00:00.250Z", utc),
            Utc(2011, 5, 6, 17, 0) + absl::Milliseconds(250));
  EXPECT_EQ(*ParseIsoTime("2011-05-06T17:00Z", utc), Utc(2011, 5, 6, 17, 0));
  EXPECT_EQ(*ParseIsoTime("2011-05-06T03:30-07", utc), Utc(2011, 5, 6, 10, 30));
  EXPECT_EQ(*ParseIsoTime("2011-05-06T03:30-0700", utc), Utc(2011, 5, 6, 10, 30));
  EXPECT_EQ(*ParseIsoTime("2011-05-06T03:30:00+02:00", utc), Utc(2011, 5, 6, 1, 30));
  EXPECT_EQ(*ParseIsoTime("2011-05-06", utc), Utc(2011, 5, 6, 0, 0));
}

TEST(TimeFormatTest, NaiveTimesUseTheGivenZone) {
  absl::StatusOr<absl::TimeZone> ny = LoadZone("America/New_York");
  ASSERT_TRUE(ny.ok());
  EXPECT_EQ(*ParseIsoTime("2026-01-10T07:00:00", *ny), Utc(2026, 1, 10, 12, 0));
  EXPECT_EQ(*ParseIsoTime("2026-01-10", *ny), Utc(2026, 1, 10, 5, 0));
  EXPECT_FALSE(LoadZone("Mars/Olympus").ok());
}

TEST(TimeFormatTest, RejectsGarbageNamingTheValue) {
  auto bad = ParseIsoTime("yesterday", absl::UTCTimeZone());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("yesterday"), std::string::npos);
}

TEST(TimeFormatTest, RendersZForUtcAndOffsetsOtherwise) {
  const absl::Time t = Utc(2026, 1, 10, 12, 0, 5);
  EXPECT_EQ(FormatIsoTime(t, absl::UTCTimeZone()), "2026-01-10T12:00:05Z");
  EXPECT_EQ(FormatIsoTime(t, *LoadZone("America/New_York")), "2026-01-10T07:00:05-05:00");
}

}  // namespace
}  // namespace ferry::pagerduty_sim
