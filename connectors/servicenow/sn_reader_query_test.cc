#include "connectors/servicenow/sn_reader_query.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace ferry::servicenow {
namespace {

absl::Time At(const char* text) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime("%Y-%m-%d %H:%M:%S", text, absl::UTCTimeZone(), &time, &error))
      << error;
  return time;
}

TEST(ReaderQueryTest, DatetimesAreUtcSeconds) {
  EXPECT_EQ(ServiceNowDateTime(At("2026-12-06 07:05:21") + absl::Milliseconds(999)),
            "2026-12-06 07:05:21");
}

TEST(ReaderQueryTest, ThePollOrdersFirstSoCriteriaCannotReorderIt) {
  EXPECT_EQ(ChangesFromQuery(At("2026-12-06 07:05:21"), "active=true^priority<=2"),
            "ORDERBYsys_updated_on^ORDERBYsys_id^sys_updated_on>=2026-12-06 07:05:21"
            "^active=true^priority<=2");
  EXPECT_EQ(ChangesFromQuery(At("2026-12-06 07:05:21"), ""),
            "ORDERBYsys_updated_on^ORDERBYsys_id^sys_updated_on>=2026-12-06 07:05:21");
}

TEST(ReaderQueryTest, ANextPageStartsAfterTheLastRowReadNotAtAnOffset) {
  EXPECT_EQ(ChangesAfterQuery(At("2026-12-06 07:05:21"), "abc123", "urgency=1^ORimpact=1"),
            "ORDERBYsys_updated_on^ORDERBYsys_id^"
            "sys_updated_on=2026-12-06 07:05:21^sys_id>abc123^urgency=1^ORimpact=1"
            "^NQsys_updated_on>2026-12-06 07:05:21^urgency=1^ORimpact=1");
}

TEST(ReaderQueryTest, CriteriaWithNewQueryAreRefusedWithTheFix) {
  EXPECT_EQ(*ReaderScope("active=true"), "active=true");
  EXPECT_EQ(*ReaderScope(""), "");
  auto refused = ReaderScope("active=true^NQpriority=1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("^OR"), std::string::npos) << refused.status();
}

TEST(ReaderQueryTest, HistoryOfAllIncidentsOfAReadInOneQuery) {
  EXPECT_EQ(AuditQuery({"a1", "b2"}, At("2026-12-06 07:05:21")),
            "tablename=incident^documentkeyINa1,b2^sys_created_on>=2026-12-06 07:05:21"
            "^ORDERBYsys_created_on");
  EXPECT_EQ(JournalQuery({"a1", "b2"}, At("2026-12-06 07:05:21")),
            "element_idINa1,b2^elementINcomments,work_notes"
            "^sys_created_on>=2026-12-06 07:05:21^ORDERBYsys_created_on");
}

}  // namespace
}  // namespace ferry::servicenow
