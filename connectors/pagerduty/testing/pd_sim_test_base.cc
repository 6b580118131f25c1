#include "connectors/pagerduty/testing/pd_sim_test_base.h"

#include "connectors/pagerduty/pd_connector.h"
#include "google/protobuf/util/time_util.h"

namespace ferry::pagerduty {

void PdSimTest::SetUp() {
  SimFixture::SetUp();
  // Tests make more calls than PagerDuty's 960 a minute would allow at once.
  auto res = client_->Put("/admin/rate_limit", R"({"limit": 100000, "window_seconds": 60})",
                          "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  connector_ = MakeConnector("account-full", "ferry-bot@example.com");
  ASSERT_NE(connector_, nullptr);
}

void PdSimTest::TearDown() {
  connector_.reset();
  SimFixture::TearDown();
}

std::unique_ptr<engine::Connector> PdSimTest::MakeConnector(const std::string& token,
                                                            const std::string& email) const {
  ferry::v1::SystemConfig system;
  system.set_name("pd-test");
  system.set_kind("pagerduty");
  system.set_url("http://127.0.0.1:" + std::to_string(sim_->port()));
  system.set_user_email(email);
  system.set_requests_per_minute(100000);
  http::RetryPolicy retry;
  retry.max_attempts = 6;
  retry.initial_backoff = absl::Milliseconds(5);
  retry.max_backoff = absl::Milliseconds(50);
  auto connector = MakePagerDutyConnector(system, token, {}, retry);
  EXPECT_TRUE(connector.ok()) << connector.status();
  return connector.ok() ? *std::move(connector) : nullptr;
}

std::shared_ptr<const PdApi> PdSimTest::MakeApi(const std::string& token,
                                                const std::string& email,
                                                http::HttpObserver* observer) const {
  http::HttpClientOptions options;
  options.observer = observer;
  options.system = "pagerduty";
  options.authorization = "Token token=" + token;
  options.secrets = {token};
  options.retry.initial_backoff = absl::Milliseconds(5);
  options.retry.max_backoff = absl::Milliseconds(50);
  auto client = http::HttpClient::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status();
  if (!client.ok()) return nullptr;
  return std::make_shared<const PdApi>(*std::move(client),
                                       "http://127.0.0.1:" + std::to_string(sim_->port()),
                                       email);
}

void PdSimTest::Reseed(const nlohmann::json& incidents) {
  nlohmann::json seed = pagerduty_sim::TestSeed();
  seed["incidents"] = incidents;
  Admin("/admin/seed", seed);
}

nlohmann::json PdSimTest::Act(const std::string& as, const std::string& method,
                              const std::string& path, const nlohmann::json& body) {
  nlohmann::json request = {{"as", as}, {"method", method}, {"path", path}};
  if (!body.is_null()) request["body"] = body;
  auto res = client_->Post("/admin/act", request.dump(), "application/json");
  EXPECT_TRUE(res);
  if (!res) return nullptr;
  EXPECT_LT(res->status, 300) << path << ": " << res->body;
  return nlohmann::json::parse(res->body, nullptr, false);
}

std::vector<ferry::v1::ChangeEvent> PdSimTest::ReadAll(
    engine::ChangeReader& reader, std::optional<ferry::v1::SourcePosition>* end,
    int page_size) {
  std::vector<ferry::v1::ChangeEvent> all;
  for (int pages = 0; pages < 1000; ++pages) {
    auto page = reader.ReadChanges(*end, page_size);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    for (auto& change : page->changes) all.push_back(std::move(change));
    if (!all.empty()) *end = all.back().position();
    if (page->scanned_to.has_value()) *end = page->scanned_to;
    if (!page->more) break;
  }
  return all;
}

std::unique_ptr<engine::ChangeReader> PdSimTest::NewReader(const std::string& criteria,
                                                           const std::string& service) {
  engine::ReaderOptions options;
  options.integration = "pd-to-jira";
  options.project = service;
  options.criteria = criteria;
  ferry::v1::SourcePosition start;
  *start.mutable_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(absl::Now() - absl::Minutes(1)));
  options.start = start;
  auto reader = connector_->NewReader(options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  return reader.ok() ? *std::move(reader) : nullptr;
}

}  // namespace ferry::pagerduty
