// End to end, PagerDuty ⇄ ServiceNow: what running Ferry promises an
// operator against ServiceNow, as operations_test.cc does against Jira —
// kill -9 mid-sync and a storm of ServiceNow's own 429s (an hourly
// rate-limit rule spent, Retry-After) lose and duplicate nothing.
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/e2e/scenarios.h"
#include "tests/e2e/sn_world.h"

namespace ferry::e2e {
namespace {

using ::testing::HasSubstr;

// Every way ServiceNow differs from `notes` (NoteDifferences): the
// incidents for each PagerDuty incident, their work notes.
std::vector<std::string> Differences(SnWorld& world,
                                     const std::map<std::string, std::vector<std::string>>& notes) {
  return NoteDifferences(notes, [&](const std::string& incident) {
    std::vector<std::vector<std::string>> copies;
    for (const auto& copy : world.IncidentsFor(incident)) copies.push_back(copy.work_notes);
    return copies;
  });
}

// Triggers an incident with one note; records both in `notes`.
void TriggerWithNote(SnWorld& world, const std::string& title,
                     std::map<std::string, std::vector<std::string>>& notes) {
  const std::string incident = world.TriggerIncident(title);
  const std::string note = "Note on " + title;
  world.AddNote(incident, note);
  notes[incident] = {note};
}

// The 429s the running ferryd was answered by ServiceNow
// (ferry_api_rate_limited_total{system="servicenow"}), -1 when unreadable.
int RateLimitedByServiceNow(const SnWorld& world) {
  const auto started = world.LogEvents("ferryd.started");
  if (started.empty()) return -1;
  httplib::Client metrics("127.0.0.1", started.back().value("metrics_port", 0));
  const httplib::Result page = metrics.Get("/metrics");
  if (!page || page->status != 200) return -1;
  for (absl::string_view line : absl::StrSplit(page->body, '\n')) {
    if (!absl::StartsWith(line, "ferry_api_rate_limited_total") ||
        !absl::StrContains(line, "system=\"servicenow\"")) {
      continue;
    }
    double value = 0;
    if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) {
      return static_cast<int>(value);
    }
  }
  return 0;
}

TEST(SnOperationsTest, KillNineMidSyncThenRestartLosesAndDuplicatesNothing) {
  SnWorld world("sn_kill9");
  world.WriteConfig(std::string(kSnMapping) + SnIntegration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  std::map<std::string, std::vector<std::string>> notes;
  for (int i = 0; i < 12; ++i) TriggerWithNote(world, absl::StrCat("Incident ", i), notes);
  ASSERT_TRUE(Eventually([&] { return !world.IncidentsFor(notes.begin()->first).empty(); }))
      << world.Diagnostics();
  world.KillFerryd();

  for (int i = 12; i < 15; ++i) {  // While ferryd is down.
    TriggerWithNote(world, absl::StrCat("Incident ", i), notes);
  }
  ASSERT_TRUE(world.StartFerryd());
  EXPECT_TRUE(Eventually([&] { return Differences(world, notes).empty(); }))
      << ::testing::PrintToString(Differences(world, notes)) << world.Diagnostics();
  world.StopFerryd();
}

TEST(SnOperationsTest, RateLimitStormOfServiceNow429sLosesNothing) {
  SnWorld world("sn_storm");
  world.WriteConfig(std::string(kSnMapping) + SnIntegration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  // ServiceNow counts Table API calls per clock hour. Twice, the
  // simulator's clock is put four seconds before a full hour and Ferry's
  // user gets a rule of 5 calls an hour: once they are spent, every call
  // is a 429 "Rate limit exceeded" with Retry-After (the seconds to the
  // hour), until the hour turns. (Ida and PagerDuty are not limited.)
  simcore::SimClock& clock = world.simulator().server().clock();
  std::map<std::string, std::vector<std::string>> notes;
  for (int round = 0; round < 2; ++round) {
    const int64_t into_hour = absl::ToUnixSeconds(clock.Now()) % 3600;
    ASSERT_TRUE(clock.Advance(absl::Seconds((3600 - into_hour - 4 + 3600) % 3600)));
    ASSERT_TRUE(world.simulator()
                    .rate_rules()
                    .Replace({{"rules", {{{"type", "user"}, {"user", "ferry"}, {"limit", 5}}}}})
                    .ok());
    const absl::Time hour = absl::FromUnixSeconds(absl::ToUnixSeconds(clock.Now()) / 3600 * 3600 +
                                                  3600);
    for (int i = 0; i < 4; ++i) {
      TriggerWithNote(world, absl::StrCat("Storm incident ", round, "-", i), notes);
    }
    ASSERT_TRUE(Eventually([&] { return clock.Now() > hour; }));
  }
  ASSERT_TRUE(world.simulator().rate_rules().Replace({{"rules", nlohmann::json::array()}}).ok());

  ASSERT_TRUE(Eventually([&] { return Differences(world, notes).empty(); }, absl::Seconds(120)))
      << ::testing::PrintToString(Differences(world, notes)) << world.Diagnostics();
  // Comments back.
  for (const auto& [incident, unused] : notes) {
    world.EditIncident(world.IncidentsFor(incident).front().sys_id,
                       {{"comments", "Storm reply " + incident}});
  }
  EXPECT_TRUE(RepliesArrive(world, notes, "Storm reply ")) << world.Diagnostics();
  // The storm happened: ServiceNow answered Ferry with 429s.
  EXPECT_GT(RateLimitedByServiceNow(world), 0) << world.Diagnostics();
  EXPECT_THAT(Differences(world, notes), ::testing::IsEmpty());
  EXPECT_THAT(world.Ferryctl({"failures", "list"}), HasSubstr("0 open failure(s)"));
  world.StopFerryd();
}

}  // namespace
}  // namespace ferry::e2e
