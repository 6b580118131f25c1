// End to end: running Ferry day to day, as an operator sees it — a
// failure's every step is in ferryd's log with its entity and fix,
// incidents from before the first start stay unsynced, the status totals
// survive a restart, and ferryctl against a stopped ferryd says how to
// reach it. ferryd runs as a process against both simulators; each TEST is
// one promise.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_world.h"
#include "tests/e2e/scenarios.h"

namespace ferry::e2e {
namespace {

using ::testing::HasSubstr;
using Dialect = jira_sim::Dialect;

// The words of `ferryctl status`'s row of pd-jira; empty when absent.
std::vector<std::string> StatusRow(const E2eWorld& world) {
  for (absl::string_view line : absl::StrSplit(world.Ferryctl({"status"}), '\n')) {
    if (absl::StartsWith(line, "pd-jira ")) {
      return absl::StrSplit(line, ' ', absl::SkipEmpty());
    }
  }
  return {};
}

// Status row columns: INTEGRATION STATE LAG LAST WRITE (date, time)
// WRITTEN SKIPPED OPEN-FAILURES LINKED-PAIRS COMMENTS.
constexpr int kLastWriteDate = 3;
constexpr int kWritten = 5;

TEST(DayToDayTest, AFailureIsLoggedAtEveryStepWithBothEntitiesAndTheFix) {
  E2eWorld world("failure-log", {Dialect::kDataCenter, "observer-token"});
  // Three attempts, quickly: parked, one retry failing, attempts out.
  world.WriteConfig(std::string(kIncidentMapping) +
                    absl::StrReplaceAll(Integration("PSVCWEB"),
                                        {{"max_attempts: 50", "max_attempts: 3"}}));
  ASSERT_TRUE(world.StartFerryd());
  const std::string incident = world.TriggerIncident("Logged failure");
  std::vector<E2eWorld::JiraIssue> copies;
  ASSERT_TRUE(Eventually([&] {
    copies = world.IssuesFor(incident);
    return copies.size() == 1;
  })) << world.Diagnostics();

  // An Observer cannot add notes: the comment's copy fails every attempt.
  world.CommentIssue(copies.front().key, "Observers cannot post this");
  ASSERT_TRUE(Eventually([&] { return !world.LogEvents("failure.exhausted").empty(); }))
      << world.Diagnostics();

  const auto parked = world.LogEvents("failure.parked");
  ASSERT_EQ(parked.size(), 1u) << world.Diagnostics();
  EXPECT_EQ(parked[0]["level"], "warn");
  EXPECT_EQ(parked[0]["integration"], "pd-jira");
  EXPECT_EQ(parked[0]["source_system"], "jira");
  EXPECT_EQ(parked[0]["source_key"], copies.front().key);
  EXPECT_EQ(parked[0]["target_system"], "pagerduty");
  EXPECT_EQ(parked[0]["target_id"], incident);
  EXPECT_THAT(parked[0].value("source_url", ""), HasSubstr(copies.front().key));
  EXPECT_THAT(parked[0].value("error", ""), HasSubstr("Responder role"));
  EXPECT_EQ(world.LogEvents("failure.retry_failed").size(), 1u) << "attempt 2 of 3";
  const auto exhausted = world.LogEvents("failure.exhausted");
  ASSERT_EQ(exhausted.size(), 1u);
  EXPECT_EQ(exhausted[0]["level"], "error");
  EXPECT_EQ(exhausted[0]["attempts"], 3);
  const std::string id = exhausted[0]["failure"];
  EXPECT_THAT(exhausted[0].value("fix", ""),
              HasSubstr("ferryctl failures reprocess pd-jira --ids=" + id));

  const std::string skipped = world.Ferryctl({"failures", "skip", "pd-jira", "--ids=" + id});
  EXPECT_THAT(skipped, HasSubstr("skip: 1 failure(s)"));
  const auto skips = world.LogEvents("failure.skipped");
  ASSERT_EQ(skips.size(), 1u) << world.Diagnostics();
  EXPECT_EQ(skips[0]["failure"], id);
  world.StopFerryd();
}

TEST(DayToDayTest, AnIncidentFromBeforeTheFirstStartIsNotSyncedEvenWhenItChanges) {
  E2eWorld world("start-time", {});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  const std::string before = world.TriggerIncident("From before Ferry");
  // The first start is taken in whole seconds: start in a later second.
  absl::SleepFor(absl::Milliseconds(1100));
  ASSERT_TRUE(world.StartFerryd());

  // A change of the old incident after the start, then a new incident:
  // once the new one is copied, the reader has passed the old one's note.
  world.AddNote(before, "Still investigating");
  const std::string after = world.TriggerIncident("From after the start");
  ASSERT_TRUE(Eventually([&] { return world.IssuesFor(after).size() == 1; }))
      << world.Diagnostics();
  EXPECT_TRUE(world.IssuesFor(before).empty()) << world.Diagnostics();
  world.StopFerryd();
}

TEST(DayToDayTest, StatusTotalsSurviveARestart) {
  E2eWorld world("counters", {});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());
  const std::string incident = world.TriggerIncident("Counted");
  ASSERT_TRUE(Eventually([&] { return world.IssuesFor(incident).size() == 1; }))
      << world.Diagnostics();
  std::vector<std::string> row;
  ASSERT_TRUE(Eventually([&] {
    row = StatusRow(world);
    return row.size() == 10 && row[kWritten] != "0";
  })) << world.Ferryctl({"status"});
  world.StopFerryd();

  ASSERT_TRUE(world.StartFerryd());
  const std::vector<std::string> after = StatusRow(world);
  ASSERT_EQ(after.size(), 10u) << world.Ferryctl({"status"});
  EXPECT_EQ(after[kWritten], row[kWritten]) << "nothing new was written";
  EXPECT_EQ(after[kLastWriteDate], row[kLastWriteDate]);
  EXPECT_EQ(after[kLastWriteDate + 1], row[kLastWriteDate + 1]);
  world.StopFerryd();
}

TEST(DayToDayTest, FerryctlAgainstAStoppedFerrydSaysHowToReachIt) {
  E2eWorld world("stopped", {});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());
  world.StopFerryd();
  int exit_code = 0;
  const std::string printed = world.Ferryctl({"status"}, &exit_code);
  EXPECT_EQ(exit_code, 1) << printed;
  EXPECT_THAT(printed, HasSubstr("cannot reach ferryd at 127.0.0.1:"));
  EXPECT_THAT(printed, HasSubstr("--server=HOST:PORT"));
  EXPECT_THAT(printed, HasSubstr("server.control_listen"));
}

}  // namespace
}  // namespace ferry::e2e
