// Incidents opened by monitoring tools: service integrations, the Events API
// v2 (POST /v2/enqueue), alerts, content-based grouping and merges.
#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty_sim {
namespace {

class EventsTest : public SimFixture {
 protected:
  void SetUp() override {
    SimFixture::SetUp();
    auto res = Call("POST", "/services/PSVCWEB/integrations", "account-full",
                    {{"integration",
                      {{"type", "events_api_v2_inbound_integration"},
                       {"name", "Prometheus"}}}},
                    "ada@example.com");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    key_ = Body(res)["integration"]["integration_key"];
    integration_id_ = Body(res)["integration"]["id"];
  }

  httplib::Result Enqueue(const nlohmann::json& event) {
    return client_->Post("/v2/enqueue", event.dump(), "application/json");
  }

  // Sends a trigger and returns the dedup key PagerDuty answers with.
  std::string TriggerEvent(const std::string& summary, const std::string& dedup_key = "",
                           const std::string& source = "db-1") {
    nlohmann::json event = {
        {"routing_key", key_},
        {"event_action", "trigger"},
        {"payload",
         {{"summary", summary},
          {"source", source},
          {"severity", "critical"},
          {"custom_details", {{"disk", "/var"}, {"used", "97%"}}}}}};
    if (!dedup_key.empty()) event["dedup_key"] = dedup_key;
    auto res = Enqueue(event);
    EXPECT_TRUE(res);
    if (!res) return "";
    EXPECT_EQ(res->status, 202) << res->body;
    return Body(res).value("dedup_key", "");
  }

  void Event(const std::string& action, const std::string& dedup_key) {
    auto res = Enqueue({{"routing_key", key_}, {"event_action", action},
                        {"dedup_key", dedup_key}});
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
  }

  nlohmann::json IncidentsByKey(const std::string& key) {
    return Body(Get("/incidents?incident_key=" + key))["incidents"];
  }

  std::string key_;
  std::string integration_id_;
};

TEST_F(EventsTest, IntegrationIsCreatedTheRealWayAndListedWithItsService) {
  EXPECT_EQ(key_.size(), 32u);
  EXPECT_EQ(key_.find_first_not_of("0123456789abcdef"), std::string::npos) << key_;
  auto plain = Body(Get("/services/PSVCWEB"))["service"]["integrations"];
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0]["type"], "events_api_v2_inbound_integration_reference");
  EXPECT_FALSE(plain[0].contains("integration_key"));
  auto full = Body(Get("/services/PSVCWEB?include[]=integrations"))["service"]["integrations"];
  EXPECT_EQ(full[0]["type"], "events_api_v2_inbound_integration");
  EXPECT_EQ(full[0]["integration_key"], key_);
  EXPECT_EQ(full[0]["name"], "Prometheus");

  auto wrong_type = Call("POST", "/services/PSVCWEB/integrations", "account-full",
                         {{"integration", {{"type", "generic_email_inbound_integration"}}}},
                         "ada@example.com");
  EXPECT_EQ(wrong_type->status, 400);
  auto observer = Call("POST", "/services/PSVCWEB/integrations", "observer-token",
                        {{"integration", {{"type", "events_api_v2_inbound_integration"}}}});
  EXPECT_EQ(observer->status, 403) << observer->body;
}

TEST_F(EventsTest, TriggerOpensAnIncidentKeyedByTheDedupKeyAndByTheIntegration) {
  const std::string dedup = TriggerEvent("Disk almost full on db-1", "disk/db-1");
  EXPECT_EQ(dedup, "disk/db-1");
  auto found = IncidentsByKey("disk/db-1");
  ASSERT_EQ(found.size(), 1u);
  const std::string id = found[0]["id"];
  auto incident = Body(Get("/incidents/" + id + "?include[]=body"))["incident"];
  EXPECT_EQ(incident["title"], "Disk almost full on db-1");
  EXPECT_EQ(incident["description"], "Disk almost full on db-1");
  EXPECT_EQ(incident["body"]["details"]["used"], "97%");
  EXPECT_EQ(incident["alert_counts"]["all"], 1);
  EXPECT_EQ(incident["alert_counts"]["triggered"], 1);
  EXPECT_EQ(incident["last_status_change_by"]["type"],
            "events_api_v2_inbound_integration_reference");
  EXPECT_EQ(incident["assignments"][0]["assignee"]["id"], "PRESP01");

  auto entries = Body(Get("/incidents/" + id + "/log_entries?include[]=channels"))["log_entries"];
  const nlohmann::json& trigger = entries.back();  // newest first
  EXPECT_EQ(trigger["type"], "trigger_log_entry");
  EXPECT_EQ(trigger["id"], incident["first_trigger_log_entry"]["id"]);
  EXPECT_EQ(trigger["agent"]["id"], integration_id_);
  EXPECT_EQ(trigger["agent"]["type"], "events_api_v2_inbound_integration_reference");
  EXPECT_EQ(trigger["agent"]["summary"], "Prometheus");
  EXPECT_EQ(trigger["channel"]["type"], "api");
  EXPECT_EQ(trigger["channel"]["incident_key"], "disk/db-1");
  EXPECT_EQ(trigger["channel"]["details"]["disk"], "/var");

  auto alerts = Body(Get("/incidents/" + id + "/alerts"))["alerts"];
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["alert_key"], "disk/db-1");
  EXPECT_EQ(alerts[0]["status"], "triggered");
  EXPECT_EQ(alerts[0]["severity"], "critical");
  EXPECT_EQ(alerts[0]["body"]["details"]["disk"], "/var");
  EXPECT_EQ(alerts[0]["integration"]["id"], integration_id_);
  EXPECT_EQ(alerts[0]["incident"]["id"], id);
}

TEST_F(EventsTest, TriggerWithoutDedupKeyGetsOneAndARepeatAddsNothing) {
  const std::string dedup = TriggerEvent("CPU high");
  EXPECT_EQ(dedup.size(), 32u);
  TriggerEvent("CPU high again", dedup);
  auto found = IncidentsByKey(dedup);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["title"], "CPU high");
  EXPECT_EQ(found[0]["alert_counts"]["all"], 1);
}

TEST_F(EventsTest, AcknowledgeAndResolveEventsActAsTheIntegration) {
  TriggerEvent("Queue backed up", "queue-1");
  const std::string id = IncidentsByKey("queue-1")[0]["id"];
  Event("acknowledge", "queue-1");
  auto incident = Body(Get("/incidents/" + id))["incident"];
  EXPECT_EQ(incident["status"], "acknowledged");
  EXPECT_EQ(incident["last_status_change_by"]["id"], integration_id_);
  Event("resolve", "queue-1");
  incident = Body(Get("/incidents/" + id))["incident"];
  EXPECT_EQ(incident["status"], "resolved");
  EXPECT_EQ(incident["alert_counts"]["resolved"], 1);
  auto entries = Body(Get("/incidents/" + id + "/log_entries"))["log_entries"];
  EXPECT_EQ(entries[0]["type"], "resolve_log_entry");
  EXPECT_EQ(entries[0]["agent"]["id"], integration_id_);
  // A trigger for the resolved key opens a new incident (a re-trigger).
  TriggerEvent("Queue backed up", "queue-1");
  auto both = IncidentsByKey("queue-1");
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1]["status"], "triggered");
  EXPECT_NE(both[1]["id"], id);
}

TEST_F(EventsTest, InvalidEventsGetTheEventsApiErrorBody) {
  auto short_key = Enqueue({{"routing_key", "abc"}, {"event_action", "trigger"},
                            {"payload", {{"summary", "x"}, {"source", "y"}, {"severity", "info"}}}});
  ASSERT_TRUE(short_key);
  EXPECT_EQ(short_key->status, 400);
  EXPECT_EQ(Body(short_key)["status"], "invalid event");
  EXPECT_EQ(Body(short_key)["message"], "Event object is invalid");
  EXPECT_EQ(Body(short_key)["errors"][0],
            "Length of 'routing_key' is incorrect (should be 32 characters)");
  auto no_payload = Enqueue({{"routing_key", key_}, {"event_action", "trigger"}});
  EXPECT_EQ(Body(no_payload)["errors"][0], "'payload' is missing or blank");
  auto bad_severity =
      Enqueue({{"routing_key", key_}, {"event_action", "trigger"},
               {"payload", {{"summary", "x"}, {"source", "y"}, {"severity", "fatal"}}}});
  EXPECT_EQ(bad_severity->status, 400);
  auto no_key = Enqueue({{"routing_key", key_}, {"event_action", "resolve"}});
  EXPECT_EQ(Body(no_key)["errors"][0], "'dedup_key' is missing or blank");
  auto not_json = client_->Post("/v2/enqueue", "{", "application/json");
  EXPECT_EQ(not_json->status, 400);
  EXPECT_TRUE(IncidentsByKey("x").empty());
}

TEST_F(EventsTest, EventsPastTheRoutingKeysLimitAre429) {
  int throttled = 0;
  for (int i = 0; i < 125 && throttled == 0; ++i) {
    auto res = Enqueue({{"routing_key", key_}, {"event_action", "resolve"},
                        {"dedup_key", "nothing-open"}});
    ASSERT_TRUE(res);
    if (res->status == 429) {
      ++throttled;
      EXPECT_EQ(Body(res)["status"], "throttle event");
    }
  }
  EXPECT_EQ(throttled, 1);
}

TEST_F(EventsTest, ContentBasedGroupingAddsTheAlertToTheOpenIncident) {
  nlohmann::json seed = TestSeed();
  for (auto& service : seed["services"]) {
    if (service["id"] == "PSVCWEB") {
      service["grouping_fields"] = {"source"};
      service["integrations"] = {{{"id", "PINTEG1"}, {"integration_key", key_}}};
    }
  }
  Admin("/admin/seed", seed);
  TriggerEvent("Disk full", "disk", "db-1");
  const std::string id = IncidentsByKey("disk")[0]["id"];
  Event("acknowledge", "disk");
  TriggerEvent("Replication lag", "lag", "db-1");
  TriggerEvent("Web 500s", "http", "web-1");  // other source: own incident

  auto incident = Body(Get("/incidents/" + id))["incident"];
  EXPECT_EQ(incident["alert_counts"]["all"], 2);
  EXPECT_EQ(incident["status"], "acknowledged");
  // The alert's key finds the incident that holds it.
  ASSERT_EQ(IncidentsByKey("lag").size(), 1u);
  EXPECT_EQ(IncidentsByKey("lag")[0]["id"], id);
  EXPECT_NE(IncidentsByKey("http")[0]["id"], id);
  auto entries = Body(Get("/incidents/" + id + "/log_entries"))["log_entries"];
  EXPECT_EQ(entries[0]["type"], "trigger_log_entry");
  EXPECT_EQ(entries[0]["agent"]["id"], "PINTEG1");
  auto service = Body(Get("/services/PSVCWEB"))["service"];
  EXPECT_EQ(service["alert_grouping_parameters"]["type"], "content_based");

  // Resolving one alert leaves the incident open; the last one resolves it.
  Event("resolve", "disk");
  EXPECT_EQ(Body(Get("/incidents/" + id))["incident"]["status"], "acknowledged");
  Event("resolve", "lag");
  EXPECT_EQ(Body(Get("/incidents/" + id))["incident"]["status"], "resolved");
}

TEST_F(EventsTest, MergeMovesAlertsAndResolvesTheMergedIncidents) {
  TriggerEvent("Disk full", "disk");
  const std::string target = IncidentsByKey("disk")[0]["id"];
  TriggerEvent("Disk slow", "slow");
  const std::string from_event = IncidentsByKey("slow")[0]["id"];
  const std::string by_hand = NewIncident("Customer reports errors");

  auto res = Call("PUT", "/incidents/" + target + "/merge", "account-full",
                  {{"source_incidents",
                    {{{"id", from_event}, {"type", "incident_reference"}},
                     {{"id", by_hand}, {"type", "incident_reference"}}}}},
                  "ada@example.com");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Body(res)["incident"]["type"], "incident_reference");
  EXPECT_EQ(Body(res)["incident"]["id"], target);
  EXPECT_EQ(Body(Get("/incidents/" + target))["incident"]["alert_counts"]["all"], 3);
  EXPECT_EQ(Body(Get("/incidents/" + target + "/alerts"))["alerts"].size(), 3u);

  auto merged = Body(Get("/incidents/" + from_event))["incident"];
  EXPECT_EQ(merged["status"], "resolved");
  EXPECT_EQ(merged["resolve_reason"]["type"], "merge_resolve_reason");
  EXPECT_EQ(merged["resolve_reason"]["incident"]["id"], target);
  EXPECT_EQ(merged["alert_counts"]["all"], 0);
  auto merged_log = Body(Get("/incidents/" + from_event + "/log_entries"))["log_entries"];
  EXPECT_EQ(merged_log[0]["type"], "resolve_log_entry");
  EXPECT_EQ(merged_log[0]["agent"]["id"], "PADMIN1");
  auto target_log = Body(Get("/incidents/" + target + "/log_entries"))["log_entries"];
  EXPECT_EQ(target_log[0]["type"], "merge_log_entry");
  EXPECT_EQ(target_log[1]["type"], "merge_log_entry");
  EXPECT_EQ(target_log[0]["linked_incident"]["id"], by_hand);
  // The REST incident became an alert keyed by its incident key.
  const std::string hand_key = Body(Get("/incidents/" + by_hand))["incident"]["incident_key"];
  EXPECT_EQ(IncidentsByKey(hand_key).size(), 2u);  // itself and the holder

  auto again = Call("PUT", "/incidents/" + target + "/merge", "account-full",
                    {{"source_incidents", {{{"id", from_event}, {"type", "incident_reference"}}}}},
                    "ada@example.com");
  EXPECT_EQ(again->status, 400);
  EXPECT_EQ(ErrorCode(again), 1019);
  auto itself = Call("PUT", "/incidents/" + target + "/merge", "account-full",
                     {{"source_incidents", {{{"id", target}, {"type", "incident_reference"}}}}},
                     "ada@example.com");
  EXPECT_EQ(itself->status, 400);
}

}  // namespace
}  // namespace ferry::pagerduty_sim
