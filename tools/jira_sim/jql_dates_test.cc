#include "tools/jira_sim/jql_dates.h"

#include "gtest/gtest.h"

namespace ferry::jira_sim {
namespace {

absl::TimeZone Zone(const char* name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

JqlOperand Quoted(const std::string& text) {
  JqlOperand v;
  v.text = text;
  v.quoted = true;
  return v;
}

JqlOperand Bare(const std::string& text) {
  JqlOperand v;
  v.text = text;
  return v;
}

const absl::Time kNow = Utc(2024, 5, 1, 12, 0);

TEST(JqlDatesTest, MinuteLiteralIsInTheCallersZone) {
  // Sydney is UTC+10 in May: 10:15 there is 00:15 UTC.
  auto range = ResolveJqlDate(Quoted("2024-05-01 10:15"), "updated",
                              Zone("Australia/Sydney"), kNow);
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->begin, Utc(2024, 5, 1, 0, 15));
  EXPECT_EQ(range->end, Utc(2024, 5, 1, 0, 16));
}

TEST(JqlDatesTest, SlashFormatAndDateOnlyCoverTheUsersDay) {
  auto range = ResolveJqlDate(Quoted("2024/05/01"), "created",
                              Zone("Australia/Sydney"), kNow);
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->begin, Utc(2024, 4, 30, 14, 0));
  EXPECT_EQ(range->end, Utc(2024, 5, 1, 14, 0));
}

TEST(JqlDatesTest, DaylightSavingDayIsTwentyFiveHours) {
  // Sydney leaves daylight saving on 2024-04-07 (UTC+11 -> UTC+10).
  auto range = ResolveJqlDate(Quoted("2024-04-07"), "created",
                              Zone("Australia/Sydney"), kNow);
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->end - range->begin, absl::Hours(25));
}

TEST(JqlDatesTest, UnquotedIntegerIsEpochMilliseconds) {
  auto range = ResolveJqlDate(Bare("1714522530123"), "updated",
                              Zone("Australia/Sydney"), kNow);
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->begin, absl::FromUnixMillis(1714522530123));
  EXPECT_EQ(range->end - range->begin, absl::Milliseconds(1));
}

TEST(JqlDatesTest, RelativePeriods) {
  absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(ResolveJqlDate(Bare("-5m"), "updated", utc, kNow)->begin,
            kNow - absl::Minutes(5));
  EXPECT_EQ(ResolveJqlDate(Quoted("-2h"), "updated", utc, kNow)->begin,
            kNow - absl::Hours(2));
  EXPECT_EQ(ResolveJqlDate(Bare("-1d"), "updated", utc, kNow)->begin,
            kNow - absl::Hours(24));
  EXPECT_EQ(ResolveJqlDate(Quoted("-1w 2d"), "updated", utc, kNow)->begin,
            kNow - absl::Hours(24 * 9));
  EXPECT_EQ(ResolveJqlDate(Quoted("-5"), "updated", utc, kNow)->begin,
            kNow - absl::Minutes(5));
}

TEST(JqlDatesTest, InvalidLiteralsGetJirasMessage) {
  for (const char* bad : {"2024-13-01", "2024-02-30", "2024-05-01 24:00",
                          "2024-05-01T10:15", "yesterday", "10:15"}) {
    auto range =
        ResolveJqlDate(Quoted(bad), "updated", absl::UTCTimeZone(), kNow);
    ASSERT_FALSE(range.ok()) << bad;
    EXPECT_EQ(range.status().message(),
              std::string("Date value '") + bad +
                  "' for field 'updated' is invalid. Valid formats include: "
                  "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', "
                  "'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.");
  }
}

}  // namespace
}  // namespace ferry::jira_sim
