// Answers of 200 whose JSON has a field of the wrong type: the reader
// returns an error naming the request and the field, every time it is
// asked, and reads on once PagerDuty answers properly again; the writer
// returns one (the engine parks the change as a failure). Before
// http/json_fields.h each of these either threw out of nlohmann (and ended
// the process) or dropped the change as if it were none.
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_identity.h"
#include "connectors/pagerduty/pd_reader.h"
#include "connectors/pagerduty/pd_writer.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "http/http_client.h"
#include "http/testing/local_server.h"
#include "nlohmann/json.hpp"

namespace ferry::pagerduty {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

constexpr char kService[] = "PSVC001";
const absl::Time kNow = absl::FromUnixSeconds(1780000000);

std::string PdTime(absl::Time time) { return FormatPdTime(time); }

// A trigger entry of kService creating `incident`, 30 s before kNow.
json Trigger(const std::string& id, const std::string& incident) {
  return {{"id", id},
          {"type", "trigger_log_entry"},
          {"created_at", PdTime(kNow - absl::Seconds(30))},
          {"agent", {{"id", "PHUMAN1"}, {"type", "user_reference"}}},
          {"service", {{"id", kService}, {"type", "service_reference"}}},
          {"incident", {{"id", incident}, {"type", "incident_reference"}}}};
}

json Page(const char* collection, json items) {
  return {{collection, std::move(items)}, {"more", false}};
}

// A PagerDuty on a local server whose /log_entries and /incidents answers
// each test sets; /users/me and incident PINC001 are well formed.
class HostileAnswersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto serve = [](const std::string& body) {
      return [body](const httplib::Request&, httplib::Response& response) {
        response.set_content(body, "application/json");
      };
    };
    server_.server().Get("/users/me", serve(R"({"user": {"id": "PBOT001"}})"));
    server_.server().Get("/incidents/PINC001", serve(json{{"incident", Incident()}}.dump()));
    server_.server().Get("/log_entries", [this](const httplib::Request&, httplib::Response& r) {
      absl::MutexLock lock(&mu_);
      r.set_content(log_entries_, "application/json");
    });
    server_.server().Get("/incidents", [this](const httplib::Request&, httplib::Response& r) {
      absl::MutexLock lock(&mu_);
      r.set_content(incidents_, "application/json");
    });
    server_.server().Post("/incidents", serve(R"({"incident": {"id": 5}})"));
    server_.Start();
    http::HttpClientOptions options;
    options.system = "pagerduty";
    options.retry.initial_backoff = absl::Milliseconds(5);
    options.retry.max_backoff = absl::Milliseconds(50);
    auto client = http::HttpClient::Create(std::move(options));
    ASSERT_TRUE(client.ok()) << client.status();
    api_ = std::make_shared<const PdApi>(*std::move(client), server_.Url(""),
                                         "ferry-bot@example.com");
    PdReaderOptions reader;
    reader.system = "pagerduty";
    reader.reader.integration = "pd-to-jira";
    reader.reader.project = kService;
    reader.reader.start.emplace();
    *reader.reader.start->mutable_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
        absl::ToUnixSeconds(kNow - absl::Minutes(1)));
    reader.now = [] { return kNow; };
    auto created = PdReader::Create(api_, std::make_shared<PdIdentity>(api_), std::move(reader));
    ASSERT_TRUE(created.ok()) << created.status();
    reader_ = *std::move(created);
  }

  static json Incident() {
    return {{"id", "PINC001"},
            {"type", "incident"},
            {"incident_number", 1},
            {"title", "Checkout is down"},
            {"status", "triggered"},
            {"created_at", PdTime(kNow - absl::Seconds(30))},
            {"service", {{"id", kService}, {"type", "service_reference"}}},
            {"first_trigger_log_entry", {{"id", "RTRIG001"}}}};
  }

  void Answer(const json& log_entries, const std::string& incidents = "{}") {
    absl::MutexLock lock(&mu_);
    log_entries_ = log_entries.dump();
    incidents_ = incidents;
  }

  absl::StatusOr<engine::ChangePage> Read() { return reader_->ReadChanges(std::nullopt, 100); }

  http::testing::LocalServer server_;
  absl::Mutex mu_;
  std::string log_entries_ ABSL_GUARDED_BY(mu_);
  std::string incidents_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const PdApi> api_;
  std::unique_ptr<PdReader> reader_;
};

TEST_F(HostileAnswersTest, LogEntriesWithMoreAsAString) {
  Answer({{"log_entries", json::array()}, {"more", "yes"}});
  absl::StatusOr<engine::ChangePage> page = Read();
  EXPECT_TRUE(absl::IsUnavailable(page.status())) << page.status();
  EXPECT_THAT(page.status().message(),
              HasSubstr("GET /log_entries: field 'more' is a string, expected a boolean"));
}

TEST_F(HostileAnswersTest, LogEntryWhoseIncidentIsAString) {
  json entry = Trigger("RTRIG001", "PINC001");
  entry["incident"] = "PINC001";
  Answer(Page("log_entries", {entry}));
  absl::StatusOr<engine::ChangePage> page = Read();
  EXPECT_TRUE(absl::IsUnavailable(page.status())) << page.status();
  EXPECT_THAT(page.status().message(),
              HasSubstr("GET /log_entries: field 'log_entries[0].incident' is a string, "
                        "expected an object"));
}

// Two new trigger entries make the reader list the new incidents.
TEST_F(HostileAnswersTest, IncidentsListWithANumberIdAndMore) {
  const json triggers = {Trigger("RTRIG001", "PINC001"), Trigger("RTRIG002", "PINC002")};
  Answer(Page("log_entries", triggers), R"({"incidents": [{"id": 1}], "more": 1})");
  absl::StatusOr<engine::ChangePage> page = Read();
  EXPECT_TRUE(absl::IsUnavailable(page.status())) << page.status();
  EXPECT_THAT(page.status().message(),
              HasSubstr("GET /incidents: field 'more' is a number, expected a boolean"));

  Answer(Page("log_entries", triggers), R"({"incidents": [{"id": 1}], "more": false})");
  page = Read();
  EXPECT_TRUE(absl::IsUnavailable(page.status())) << page.status();
  EXPECT_THAT(page.status().message(),
              HasSubstr("GET /incidents: field 'incidents[0].id' is a number, expected a string"));
}

// The engine asks again a second later: a fault that persists is an error
// each time, and once PagerDuty answers properly the change comes through.
TEST_F(HostileAnswersTest, APersistentBadAnswerFailsEveryReadAndThenReadsOn) {
  Answer({{"log_entries", json::array()}, {"more", "yes"}});
  for (int attempt = 0; attempt < 3; ++attempt) {
    absl::StatusOr<engine::ChangePage> page = Read();
    EXPECT_THAT(page.status().message(), HasSubstr("field 'more'")) << attempt;
  }
  Answer(Page("log_entries", {Trigger("RTRIG001", "PINC001")}));
  absl::StatusOr<engine::ChangePage> page = Read();
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->changes.size(), 1u);
  EXPECT_EQ(page->changes[0].entity().id(), "PINC001");
  EXPECT_TRUE(page->changes[0].created());
}

TEST_F(HostileAnswersTest, CreatedIncidentWithANumberId) {
  PdWriter writer(api_, /*reescalate_acknowledged=*/false);
  engine::CreateRequest request;
  request.project = kService;
  request.origin = "o1";
  ferry::v1::FieldWrite& title = request.fields.emplace_back();
  title.set_target_field("Title");
  title.mutable_value()->set_text("Checkout is down");
  absl::StatusOr<engine::EntityRef> created = writer.Create(request);
  EXPECT_TRUE(absl::IsUnavailable(created.status())) << created.status();
  EXPECT_THAT(created.status().message(),
              HasSubstr("POST /incidents: field 'incident.id' is a number, expected a string"));
}

}  // namespace
}  // namespace ferry::pagerduty
