#include "connectors/pagerduty/pd_api.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "http/http_status.h"
#include "connectors/pagerduty/testing/pd_sim_test_base.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

using ::testing::HasSubstr;

class PdApiTest : public PdSimTest {
 protected:
  void SetUp() override {
    PdSimTest::SetUp();
    api_ = MakeApi("account-full", "ferry-bot@example.com");
  }
  void TearDown() override {
    api_.reset();
    PdSimTest::TearDown();
  }
  std::shared_ptr<const PdApi> api_;
};

TEST_F(PdApiTest, ErrorBodyBecomesAMessageThatNamesTheProblem) {
  auto missing = api_->Get("/incidents/PNOPE00");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("GET /incidents/PNOPE00"));
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("PagerDuty error code"));
  EXPECT_EQ(http::HttpStatusOf(missing.status()), 404);
}

TEST_F(PdApiTest, ErrorsAsAStringOrObjectAreSpelledOut) {
  Admin("/admin/faults",
        {{"kind", "status"}, {"status", 400}, {"count", 1}, {"path_prefix", "/priorities"},
         {"body", {{"error", {{"message", "Invalid Override"}, {"code", 2001},
                              {"errors", "Override must end in the future"}}}}}});
  auto string_errors = api_->Get("/priorities");
  EXPECT_EQ(string_errors.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(string_errors.status().message()),
              HasSubstr("Invalid Override (PagerDuty error code 2001): "
                        "Override must end in the future"));
  Admin("/admin/faults",
        {{"kind", "status"}, {"status", 400}, {"count", 1}, {"path_prefix", "/priorities"},
         {"body", {{"error", {"links should have at most 50 item(s)"}}}}});
  auto array_error = api_->Get("/priorities");
  EXPECT_THAT(std::string(array_error.status().message()),
              HasSubstr("links should have at most 50 item(s)"));
}

TEST_F(PdApiTest, WritesSendTheFromUser) {
  auto created = api_->Post("/incidents",
                            {{"incident", {{"type", "incident"}, {"title", "from bot"},
                                           {"service", {{"id", "PSVCWEB"},
                                                        {"type", "service_reference"}}}}}});
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string id = (*created)["incident"]["id"];
  auto entries = api_->Get(absl::StrCat("/incidents/", id, "/log_entries"));
  ASSERT_TRUE(entries.ok());
  bool by_bot = false;
  for (const auto& entry : (*entries)["log_entries"]) {
    by_bot |= entry["type"] == "trigger_log_entry" && entry["agent"]["id"] == "PBOT001";
  }
  EXPECT_TRUE(by_bot);
  auto no_from = MakeApi("account-full", "");
  auto refused = no_from->Post("/incidents", {{"incident", {{"title", "x"}}}});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("From"));
}

TEST_F(PdApiTest, ListAllFollowsPagesAndPageRefusesPastTheOffsetCap) {
  nlohmann::json incidents = nlohmann::json::array();
  for (int i = 0; i < 230; ++i) {
    incidents.push_back({{"title", absl::StrCat("i", i)}, {"service_id", "PSVCWEB"}});
  }
  Reseed(incidents);
  auto all = api_->ListAll("/incidents", {{"date_range", "all"}}, "incidents");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 230u);
  auto page = api_->GetPage("/incidents", {{"date_range", "all"}}, "incidents", 200, 100, true);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->items.size(), 30u);
  EXPECT_FALSE(page->more);
  EXPECT_EQ(page->total, 230);
  auto capped = api_->GetPage("/incidents", {}, "incidents", 9950, 100, false);
  EXPECT_EQ(capped.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(capped.status().message()), HasSubstr("10000"));
}

TEST_F(PdApiTest, QueryValuesAreEscaped) {
  Reseed({{{"title", "k"}, {"service_id", "PSVCWEB"}, {"incident_key", "a&b=c d+e"}}});
  auto found = api_->ListAll("/incidents", {{"incident_key", "a&b=c d+e"}, {"date_range", "all"}},
                             "incidents");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->size(), 1u);
}

TEST(PdTimeTest, ParsesPagerDutyTimesAndFormatsUtc) {
  auto zulu = ParsePdTime("2024-05-01T10:00:00Z");
  auto offset = ParsePdTime("2024-05-01T12:00:00+02:00");
  ASSERT_TRUE(zulu.ok());
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(*zulu, *offset);
  EXPECT_EQ(FormatPdTime(*zulu), "2024-05-01T10:00:00Z");
  EXPECT_EQ(ParsePdTime("yesterday").status().code(), absl::StatusCode::kInvalidArgument);
}

// Found by pd_incident_fuzz: a year a protobuf Timestamp cannot hold
// aborted the process when the time was put into an Entity.
TEST(PdTimeTest, RefusesYearsOutsideOneTo9999) {
  EXPECT_TRUE(ParsePdTime("0001-01-01T00:00:00Z").ok());
  EXPECT_TRUE(ParsePdTime("9999-12-31T23:59:59Z").ok());
  for (const char* text : {"0-05-01T10:07:00Z", "-2147483648-05-01T10:00:00Z",
                           "10000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00"}) {
    absl::StatusOr<absl::Time> time = ParsePdTime(text);
    EXPECT_EQ(time.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(time.status().message()), HasSubstr("years 1 to 9999")) << text;
  }
}

}  // namespace
}  // namespace ferry::pagerduty
