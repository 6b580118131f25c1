#include "connectors/pagerduty/pd_log_window.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "connectors/pagerduty/testing/pd_call_counter.h"
#include "connectors/pagerduty/pd_log_translation.h"
#include "connectors/pagerduty/testing/pd_sim_test_base.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace ferry::pagerduty {
namespace {

class LogWindowReaderTest : public PdSimTest {
 protected:
  // 60 incidents of PSVCWEB, one every 5 s from 10 minutes ago: three log
  // entries each (trigger, assignment, notification).
  void SetUp() override {
    PdSimTest::SetUp();
    nlohmann::json incidents = nlohmann::json::array();
    for (int i = 0; i < 60; ++i) {
      incidents.push_back(
          {{"title", absl::StrCat("steady ", i)},
           {"service_id", "PSVCWEB"},
           {"created_at", FormatPdTime(absl::Now() - absl::Minutes(10) + absl::Seconds(5 * i))}});
    }
    Reseed(incidents);
    api_ = MakeApi("account-full", "ferry-bot@example.com", &counter_);
    since_ = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now() - absl::Minutes(15)));
    until_ = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()) + 1);
  }

  // Closes api_'s kept-alive connections before the simulator stops, which
  // would otherwise wait for them to time out.
  void TearDown() override {
    api_.reset();
    PdSimTest::TearDown();
  }

  // Expects `entries` oldest first (ties by id), each once, within [since, until).
  static void ExpectOrderedOnce(const std::vector<nlohmann::json>& entries, absl::Time since,
                                absl::Time until) {
    std::set<std::string> ids;
    absl::Time last = absl::InfinitePast();
    std::string last_id;
    for (const auto& entry : entries) {
      EXPECT_TRUE(ids.insert(LogEntryId(entry)).second) << "twice: " << LogEntryId(entry);
      auto time = LogEntryTime(entry);
      ASSERT_TRUE(time.ok()) << time.status();
      EXPECT_GE(*time, since);
      EXPECT_LT(*time, until);
      EXPECT_TRUE(*time > last || (*time == last && LogEntryId(entry) > last_id))
          << LogEntryId(entry) << " out of order";
      last = *time;
      last_id = LogEntryId(entry);
    }
  }

  CallCounter counter_;
  std::shared_ptr<const PdApi> api_;
  absl::Time since_;
  absl::Time until_;
};

// A trigger entry's channel details (the incident's Description) come only
// with include[]=channels on the real API, and each entry's incident (which
// spares readers a GET each) with include[]=incidents.
TEST_F(LogWindowReaderTest, EveryRequestAsksForTheEntriesChannelsAndIncidents) {
  absl::Mutex mu;
  std::vector<std::string> includes;
  sim_->server().SetRequestObserver([&](const httplib::Request& req) {
    if (req.path != "/log_entries") return;
    absl::MutexLock lock(&mu);
    std::vector<std::string> asked;
    for (size_t i = 0; i < req.get_param_value_count("include[]"); ++i) {
      asked.push_back(req.get_param_value("include[]", i));
    }
    includes.push_back(absl::StrJoin(asked, ","));
  });
  LogWindowReader reader(api_, 2000, absl::Hours(1));
  absl::Time until = until_;
  auto entries = reader.Read(since_, &until, http::RequestPriority::kLive);
  ASSERT_TRUE(entries.ok()) << entries.status();
  absl::MutexLock lock(&mu);
  ASSERT_FALSE(includes.empty());
  for (const std::string& include : includes) EXPECT_EQ(include, "channels,incidents");
}

TEST_F(LogWindowReaderTest, AWindowThatFitsIsReadWholeAPageAtATime) {
  LogWindowReader windows(api_, 2000, absl::Hours(24));
  EXPECT_EQ(windows.width(), absl::Hours(24)) << "before any window";
  absl::Time until = until_;
  auto entries = windows.Read(since_, &until, http::RequestPriority::kLive);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_EQ(until, until_);
  ASSERT_GE(entries->size(), 180u);
  ExpectOrderedOnce(*entries, since_, until_);
  // The first page (with the total), then one page per further 100.
  EXPECT_EQ(counter_.Take(), static_cast<int>((entries->size() + 99) / 100));
  // The next window is as wide as would hold 1,500 at this density.
  EXPECT_EQ(windows.width(), (until_ - since_) * 1500 / static_cast<int64_t>(entries->size()));
}

TEST_F(LogWindowReaderTest, ABusyWindowIsNarrowedOnceByItsDensity) {
  LogWindowReader windows(api_, 100, absl::Hours(24));
  absl::Time until = until_;
  auto entries = windows.Read(since_, &until, http::RequestPriority::kBackfill);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_LT(until, until_);
  EXPECT_GT(until, since_);
  EXPECT_LE(entries->size(), 100u);
  ASSERT_FALSE(entries->empty());
  ExpectOrderedOnce(*entries, since_, until);
  EXPECT_EQ(counter_.Take(), 2) << "one request thrown away, not a halving per request";
  EXPECT_EQ(windows.width(), std::clamp((until - since_) * 75 /
                                            static_cast<int64_t>(entries->size()),
                                        absl::Seconds(1), absl::Hours(24)));
  // The next window, from where this one ended, starts at that width.
  absl::Time next_until = std::min(until + windows.width(), until_);
  auto next = windows.Read(until, &next_until, http::RequestPriority::kLive);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_LE(next->size(), 100u);
  ExpectOrderedOnce(*next, until, next_until);
}

TEST_F(LogWindowReaderTest, AWindowIsNeverNarrowedBelowASecond) {
  LogWindowReader windows(api_, 1, absl::Hours(24));
  absl::Time until = until_;
  auto entries = windows.Read(since_, &until, http::RequestPriority::kLive);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_GE(until - since_, absl::Seconds(1));
  EXPECT_GE(windows.width(), absl::Seconds(1));
}

}  // namespace
}  // namespace ferry::pagerduty
