// Webhook v3 subscriptions and signed deliveries with retries.
#include <deque>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"
#include "tools/pagerduty_sim/webhook_dispatcher.h"

namespace ferry::pagerduty_sim {
namespace {

// A subscriber endpoint on an OS-chosen port that records every delivery
// and answers with scripted statuses (then 202).
class Subscriber {
 public:
  struct Received {
    std::string body;
    std::string signature;
    std::string webhook_id;
    std::string custom;
  };

  Subscriber() {
    server_.set_tcp_nodelay(true);
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      absl::MutexLock lock(&mu_);
      received_.push_back({req.body, req.get_header_value("X-PagerDuty-Signature"),
                           req.get_header_value("X-Webhook-Id"),
                           req.get_header_value("X-Custom")});
      res.status = 202;
      if (!statuses_.empty()) {
        res.status = statuses_.front();
        statuses_.pop_front();
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Subscriber() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void Answer(std::deque<int> statuses) {
    absl::MutexLock lock(&mu_);
    statuses_ = std::move(statuses);
  }
  std::vector<Received> Snapshot() {
    absl::MutexLock lock(&mu_);
    return received_;
  }
  // Waits (up to 20 s) until `n` deliveries arrived and returns them all.
  std::vector<Received> WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&] { return received_.size() >= n; };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(20));
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<Received> received_ ABSL_GUARDED_BY(mu_);
  std::deque<int> statuses_ ABSL_GUARDED_BY(mu_);
};

class WebhooksTest : public SimFixture {
 protected:
  // Subscribes `events` (account-wide) and returns the create response body.
  nlohmann::json Subscribe(const std::vector<std::string>& events,
                           const nlohmann::json& filter = {{"type", "account_reference"}}) {
    auto res = Call("POST", "/webhook_subscriptions", "account-full",
                    {{"webhook_subscription",
                      {{"type", "webhook_subscription"},
                       {"description", "ferry"},
                       {"events", events},
                       {"filter", filter},
                       {"delivery_method",
                        {{"type", "http_delivery_method"},
                         {"url", subscriber_.url()},
                         {"custom_headers", {{{"name", "X-Custom"}, {"value", "c1"}}}}}}}}});
    EXPECT_EQ(res->status, 200) << res->body;
    return Body(res)["webhook_subscription"];
  }

  Subscriber subscriber_;
};

TEST_F(WebhooksTest, CrudWithSecretOnlyOnCreate) {
  auto created = Subscribe({"incident.triggered"});
  const std::string id = created["id"];
  EXPECT_FALSE(created["delivery_method"]["secret"].get<std::string>().empty());
  EXPECT_EQ(created["delivery_method"]["custom_headers"][0]["value"], "c1");
  auto got = Body(Get("/webhook_subscriptions/" + id))["webhook_subscription"];
  EXPECT_TRUE(got["delivery_method"]["secret"].is_null());
  EXPECT_EQ(got["delivery_method"]["custom_headers"][0]["value"], "-- redacted --");
  EXPECT_EQ(Body(Get("/webhook_subscriptions"))["webhook_subscriptions"].size(), 1u);
  auto updated = Call("PUT", "/webhook_subscriptions/" + id, "account-full",
                      {{"webhook_subscription", {{"description", "renamed"}}}});
  EXPECT_EQ(Body(updated)["webhook_subscription"]["description"], "renamed");
  EXPECT_EQ(Call("POST", "/webhook_subscriptions", "account-full",
                 {{"webhook_subscription", {{"type", "webhook_subscription"},
                                            {"events", nlohmann::json::array()}}}})->status,
            400);
  EXPECT_EQ(Call("POST", "/webhook_subscriptions", "responder-token",
                 {{"webhook_subscription", created}})->status,
            403);
  // delivery_method cannot be updated; filters narrow the list.
  auto moved = Call("PUT", "/webhook_subscriptions/" + id, "account-full",
                    {{"webhook_subscription",
                      {{"delivery_method", {{"url", "http://elsewhere.example/"}}}}}});
  EXPECT_EQ(Body(moved)["webhook_subscription"]["delivery_method"]["url"], subscriber_.url());
  EXPECT_EQ(Body(Get("/webhook_subscriptions?filter_type=service_reference"))
                ["webhook_subscriptions"].size(),
            0u);
  EXPECT_EQ(Body(Get("/webhook_subscriptions?filter_type=account_reference"))
                ["webhook_subscriptions"].size(),
            1u);
  // A ping reaches the subscriber whatever the subscribed events.
  EXPECT_EQ(Call("POST", "/webhook_subscriptions/" + id + "/ping")->status, 202);
  auto ping = nlohmann::json::parse(subscriber_.WaitFor(1).at(0).body)["event"];
  EXPECT_EQ(ping["event_type"], "pagey.ping");
  EXPECT_EQ(ping["resource_type"], "pagey");
  EXPECT_TRUE(ping["agent"].is_null());
  EXPECT_EQ(Call("DELETE", "/webhook_subscriptions/" + id)->status, 204);
  EXPECT_EQ(Get("/webhook_subscriptions/" + id)->status, 404);
}

TEST_F(WebhooksTest, SignedEventsForIncidentActions) {
  auto subscription = Subscribe({"incident.triggered", "incident.acknowledged",
                                 "incident.annotated", "incident.status_update_published",
                                 "incident.priority_updated", "incident.resolved"});
  const std::string secret = subscription["delivery_method"]["secret"];
  const std::string id = NewIncident("hooked");
  ASSERT_EQ(Update(id, {{"status", "acknowledged"}, {"priority", "P1"}})->status, 200);
  ASSERT_EQ(Call("POST", "/incidents/" + id + "/notes", "responder-token",
                 {{"note", {{"content", "n1"}}}})->status, 200);
  ASSERT_EQ(Call("POST", "/incidents/" + id + "/status_updates", "responder-token",
                 {{"message", "m1"}})->status, 200);
  ASSERT_EQ(Update(id, {{"status", "resolved"}})->status, 200);

  auto received = subscriber_.WaitFor(6);
  ASSERT_EQ(received.size(), 6u);
  std::vector<std::string> types;
  for (const auto& r : received) {
    EXPECT_EQ(r.signature, WebhookSignature(secret, r.body));
    EXPECT_EQ(r.custom, "c1");
    EXPECT_FALSE(r.webhook_id.empty());
    types.push_back(nlohmann::json::parse(r.body)["event"]["event_type"]);
  }
  EXPECT_EQ(types, (std::vector<std::string>{
                       "incident.triggered", "incident.priority_updated",
                       "incident.acknowledged", "incident.annotated",
                       "incident.status_update_published", "incident.resolved"}));
  auto triggered = nlohmann::json::parse(received[0].body)["event"];
  EXPECT_EQ(triggered["resource_type"], "incident");
  EXPECT_EQ(triggered["agent"]["id"], "PADMIN1");
  EXPECT_EQ(triggered["data"]["id"], id);
  EXPECT_EQ(triggered["data"]["number"], 1);
  EXPECT_FALSE(triggered["data"].contains("incident_number"));
  EXPECT_EQ(triggered["data"]["assignees"][0]["id"], "PRESP01");
  auto note = nlohmann::json::parse(received[3].body)["event"]["data"];
  EXPECT_EQ(note["type"], "incident_note");
  EXPECT_EQ(note["content"], "n1");
  EXPECT_EQ(note["incident"]["id"], id);
  auto status_update = nlohmann::json::parse(received[4].body)["event"]["data"];
  EXPECT_EQ(status_update["type"], "incident_status_update");
  EXPECT_EQ(status_update["message"], "m1");
}

TEST_F(WebhooksTest, FiltersBySubscribedEventsAndService) {
  Subscribe({"incident.resolved"}, {{"type", "service_reference"}, {"id", "PSVCDB1"}});
  const std::string web = NewIncident("web", "PSVCWEB");
  const std::string db = NewIncident("db", "PSVCDB1");
  ASSERT_EQ(Update(web, {{"status", "resolved"}})->status, 200);
  ASSERT_EQ(Update(db, {{"status", "resolved"}})->status, 200);
  auto received = subscriber_.WaitFor(1);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(received[0].body)["event"]["data"]["id"], db);
}

TEST_F(WebhooksTest, RetriesKeepTheWebhookIdAndFollowTheClock) {
  subscriber_.Answer({503, 429});
  Subscribe({"incident.triggered"});
  NewIncident("retry me");
  // Retries wait for the simulator clock: keep moving it until the third
  // attempt (after a 503 and a 429) arrives.
  std::vector<Subscriber::Received> received;
  for (int i = 0; i < 400 && received.size() < 3; ++i) {
    Admin("/admin/clock/advance", {{"seconds", 30}});
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    received = subscriber_.Snapshot();
  }
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[0].webhook_id, received[1].webhook_id);
  EXPECT_EQ(received[1].webhook_id, received[2].webhook_id);
  EXPECT_EQ(received[0].body, received[2].body);
}

TEST_F(WebhooksTest, RetriesStopAfter48HoursAndTheQueueMovesOn) {
  subscriber_.Answer({500, 500});
  Subscribe({"incident.triggered"});
  NewIncident("never delivered");
  ASSERT_EQ(subscriber_.WaitFor(1).size(), 1u);
  NewIncident("next in line");
  std::vector<Subscriber::Received> received;
  for (int i = 0; i < 400 && received.size() < 3; ++i) {
    Admin("/admin/clock/advance", {{"seconds", 49 * 3600}});
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    received = subscriber_.Snapshot();
  }
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(received[1].body)["event"]["data"]["title"],
            "never delivered");
  EXPECT_EQ(nlohmann::json::parse(received[2].body)["event"]["data"]["title"], "next in line");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(subscriber_.Snapshot().size(), 3u) << "the expired webhook is not retried";
}

TEST_F(WebhooksTest, ThreeDroppedWebhooksDisableTheSubscription) {
  subscriber_.Answer({400, 404, 410});
  const std::string id = Subscribe({"incident.triggered"})["id"];
  for (int i = 0; i < 3; ++i) NewIncident("drop " + std::to_string(i));
  ASSERT_EQ(subscriber_.WaitFor(3).size(), 3u);
  nlohmann::json state;
  for (int i = 0; i < 200; ++i) {  // the third drop is recorded just after delivery
    state = Body(Get("/webhook_subscriptions/" + id))["webhook_subscription"];
    if (state["delivery_method"]["temporarily_disabled"] == true) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(state["delivery_method"]["temporarily_disabled"], true);
  NewIncident("ignored while disabled");
  auto enabled = Call("POST", "/webhook_subscriptions/" + id + "/enable");
  EXPECT_EQ(Body(enabled)["webhook_subscription"]["delivery_method"]["temporarily_disabled"],
            false);
  NewIncident("delivered again");
  auto received = subscriber_.WaitFor(4);
  ASSERT_EQ(received.size(), 4u);
  EXPECT_EQ(nlohmann::json::parse(received[3].body)["event"]["data"]["title"], "delivered again");
}

TEST(WebhookSignatureTest, MatchesAKnownHmacSha256) {
  // RFC 4231 test case 2.
  EXPECT_EQ(WebhookSignature("Jefe", "what do ya want for nothing?"),
            "v1=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace ferry::pagerduty_sim
