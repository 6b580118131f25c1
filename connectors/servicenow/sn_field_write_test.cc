#include "connectors/servicenow/sn_field_write.h"

#include "engine/connector/testing/field_writes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::servicenow {
namespace {

using engine::testing::LookupWrite;
using ::testing::HasSubstr;

TEST(ColumnValueTest, CodedFieldsAreWrittenAsTheirCodes) {
  EXPECT_EQ(*ColumnValue(LookupWrite("state", "Resolved")), "6");
  EXPECT_EQ(*ColumnValue(LookupWrite("state", "2")), "2");
  EXPECT_EQ(*ColumnValue(LookupWrite("impact", "1 - High")), "1");
  EXPECT_EQ(*ColumnValue(LookupWrite("hold_reason", "Awaiting Caller")), "1");
  EXPECT_EQ(*ColumnValue(LookupWrite("close_code", "Solved (Work Around)")),
            "Solved (Work Around)");
}

TEST(ColumnValueTest, AnUnknownLabelNamesTheFieldAndTheLabels) {
  const auto refused = ColumnValue(LookupWrite("state", "acknowledged"));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("'state'"));
  EXPECT_THAT(refused.status().message(), HasSubstr("'acknowledged'"));
  EXPECT_THAT(refused.status().message(), HasSubstr("New, In Progress, On Hold"));
}

TEST(ColumnValueTest, TextUsersTimesAndClears) {
  ferry::v1::FieldWrite write;
  write.set_target_field("short_description");
  write.mutable_value()->set_text("Disk full on db-1");
  EXPECT_EQ(*ColumnValue(write), "Disk full on db-1");
  write.set_target_field("assigned_to");
  write.mutable_value()->mutable_user()->set_id("6816f79cc0a8016401c5a33be04be441");
  write.mutable_value()->mutable_user()->set_name("Alice");
  EXPECT_EQ(*ColumnValue(write), "6816f79cc0a8016401c5a33be04be441");
  write.set_target_field("description");
  write.mutable_value()->mutable_time()->set_seconds(1796540721);  // 2026-12-06 07:05:21 UTC
  EXPECT_EQ(*ColumnValue(write), "2026-12-06 07:05:21");
  write.clear_value();
  EXPECT_EQ(*ColumnValue(write), "");
}

}  // namespace
}  // namespace ferry::servicenow
