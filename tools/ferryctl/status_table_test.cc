#include "tools/ferryctl/status_table.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(StatusTableTest, EveryColumnIsNamedForWhatItCounts) {
  ferry::v1::GetStatusResponse response;
  auto* status = response.add_integrations();
  status->mutable_summary()->set_name("pd-to-jira");
  status->set_changes_written(12);
  status->set_changes_skipped(5);
  status->set_open_failures(1);
  status->set_links(3);
  status->set_comments_synced(9);
  status->mutable_last_sync()->set_seconds(1800000000);
  auto* partition = status->add_partitions();
  partition->set_system("pd");
  partition->set_project("PSVC");
  partition->set_lag_seconds(42.4);
  partition->set_last_error("429 Too Many Requests");

  const std::vector<std::string> lines =
      absl::StrSplit(StatusTable(response), '\n', absl::SkipEmpty());
  ASSERT_THAT(lines, SizeIs(3));
  EXPECT_THAT(lines[0], HasSubstr("LINKED PAIRS"));
  EXPECT_THAT(lines[0], HasSubstr("OPEN FAILURES"));
  EXPECT_THAT(lines[0], HasSubstr("LAST WRITE"));
  std::vector<std::string> row = absl::StrSplit(lines[1], ' ', absl::SkipEmpty());
  EXPECT_THAT(row, ElementsAre("pd-to-jira", "running", "42s", "2027-01-15", "08:00:00",
                               "12", "5", "1", "3", "9"));
  EXPECT_EQ(lines[2], "  pd/PSVC: 429 Too Many Requests");
}

TEST(StatusTableTest, NoWriteYetShowsADash) {
  ferry::v1::GetStatusResponse response;
  response.add_integrations()->mutable_summary()->set_name("i");
  const std::vector<std::string> lines =
      absl::StrSplit(StatusTable(response), '\n', absl::SkipEmpty());
  ASSERT_THAT(lines, SizeIs(2));
  std::vector<std::string> row = absl::StrSplit(lines[1], ' ', absl::SkipEmpty());
  EXPECT_THAT(row, ElementsAre("i", "running", "0s", "-", "0", "0", "0", "0", "0"));
}

}  // namespace
}  // namespace ferry::ctl
