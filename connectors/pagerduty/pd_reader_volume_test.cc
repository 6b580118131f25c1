// The reader against a busy day: more log entries than PagerDuty's 10,000
// offset cap lets one query reach.
#include <map>

#include "absl/strings/str_cat.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_reader.h"
#include "connectors/pagerduty/testing/pd_sim_test_base.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

constexpr int kIncidents = 12000;

class PdReaderVolumeTest : public PdSimTest {};

TEST_F(PdReaderVolumeTest, TwelveThousandIncidentsInOneDayAreAllReadOnce) {
  // Spread over the 24 hours that ended an hour ago: one every 7.2 s, each
  // with a trigger, an assignment and a notification in the log (36,000
  // entries, so no single query over the day could page through them).
  const absl::Time day_start = absl::Now() - absl::Hours(25);
  nlohmann::json incidents = nlohmann::json::array();
  for (int i = 0; i < kIncidents; ++i) {
    incidents.push_back(
        {{"title", absl::StrCat("busy ", i)},
         {"service_id", "PSVCWEB"},
         {"created_at", FormatPdTime(day_start + absl::Hours(24) * i / kIncidents)}});
  }
  client_->set_read_timeout(absl::ToInt64Seconds(absl::Minutes(2)), 0);
  Reseed(incidents);
  auto total = pagerduty_sim::Body(Get(absl::StrCat(
      "/log_entries?total=true&limit=1&since=", FormatPdTime(day_start - absl::Minutes(1)))));
  ASSERT_GT(total["total"].get<int>(), kMaxOffsetPlusLimit);

  PdReaderOptions options;
  options.system = "pd-test";
  options.reader.integration = "pd-to-jira";
  options.reader.project = "PSVCWEB";
  ferry::v1::SourcePosition start;
  *start.mutable_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(day_start - absl::Minutes(1)));
  options.reader.start = start;
  auto api = MakeApi("account-full", "ferry-bot@example.com");
  auto reader = PdReader::Create(api, std::make_shared<PdIdentity>(api), options);
  ASSERT_TRUE(reader.ok()) << reader.status();

  std::optional<ferry::v1::SourcePosition> end;
  auto events = ReadAll(**reader, &end, /*page_size=*/500);
  std::map<std::string, int> times_read;
  for (const auto& event : events) {
    EXPECT_TRUE(event.created()) << event.change_id();
    ++times_read[event.entity().fields().at("Title").text()];
  }
  EXPECT_EQ(events.size(), static_cast<size_t>(kIncidents));
  ASSERT_EQ(times_read.size(), static_cast<size_t>(kIncidents));
  for (int i = 0; i < kIncidents; ++i) {
    EXPECT_EQ(times_read[absl::StrCat("busy ", i)], 1) << "incident busy " << i;
  }
}

}  // namespace
}  // namespace ferry::pagerduty
