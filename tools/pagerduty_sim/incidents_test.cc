// GET/POST/PUT /incidents and /incidents/{id}: fields, rules, transitions.
#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty_sim {
namespace {

using IncidentsTest = SimFixture;

TEST_F(IncidentsTest, CreateReturns201WithTheGeneratedFields) {
  auto res = Call("POST", "/incidents", "account-full",
                  {{"incident",
                    {{"type", "incident"},
                     {"title", "Disk full"},
                     {"service", {{"id", "PSVCWEB"}, {"type", "service_reference"}}},
                     {"urgency", "low"},
                     {"incident_key", "disk-1"},
                     {"priority", {{"id", "PPRIO02"}, {"type", "priority_reference"}}},
                     {"body", {{"type", "incident_body"}, {"details", "/var at 100%"}}},
                     {"conference_bridge",
                      {{"conference_number", "+1 555"}, {"conference_url", "https://m/1"}}}}}},
                  "ada@example.com");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  auto incident = Body(res)["incident"];
  const std::string id = incident["id"];
  EXPECT_EQ(incident["type"], "incident");
  EXPECT_EQ(incident["incident_number"], 1);
  EXPECT_EQ(incident["summary"], "[#1] Disk full");
  EXPECT_EQ(incident["description"], "Disk full");
  EXPECT_EQ(incident["self"], "https://api.pagerduty.com/incidents/" + id);
  EXPECT_EQ(incident["html_url"], "https://ferry-test.pagerduty.com/incidents/" + id);
  EXPECT_EQ(incident["status"], "triggered");
  EXPECT_EQ(incident["urgency"], "low");
  EXPECT_EQ(incident["incident_key"], "disk-1");
  EXPECT_EQ(incident["priority"]["id"], "PPRIO02");
  EXPECT_EQ(incident["priority"]["name"], "P2");
  EXPECT_EQ(incident["service"]["type"], "service_reference");
  EXPECT_EQ(incident["escalation_policy"]["id"], "PEPWEB1");
  EXPECT_EQ(incident["teams"][0]["id"], "PTEAMWB");
  // Assigned through the escalation policy's first level.
  EXPECT_EQ(incident["assigned_via"], "escalation_policy");
  ASSERT_EQ(incident["assignments"].size(), 1u);
  EXPECT_EQ(incident["assignments"][0]["assignee"]["id"], "PRESP01");
  EXPECT_TRUE(incident["acknowledgements"].empty());
  EXPECT_TRUE(incident["resolved_at"].is_null());
  EXPECT_EQ(incident["conference_bridge"]["conference_number"], "+1 555");
  EXPECT_EQ(incident["first_trigger_log_entry"]["type"], "trigger_log_entry_reference");
  EXPECT_FALSE(incident.contains("body"));

  auto with_body = Body(Get("/incidents/" + id + "?include[]=body"))["incident"];
  EXPECT_EQ(with_body["body"]["details"], "/var at 100%");
  auto plain = Body(Get("/incidents/" + id))["incident"];
  EXPECT_FALSE(plain.contains("conference_bridge"));
  const std::string second = NewIncident("second");
  EXPECT_EQ(Body(Get("/incidents/2"))["incident"]["id"], second);
}

TEST_F(IncidentsTest, CreateValidatesRequiredFields) {
  auto post = [&](nlohmann::json incident) {
    return Call("POST", "/incidents", "account-full", {{"incident", incident}},
                "ada@example.com");
  };
  nlohmann::json service = {{"id", "PSVCWEB"}, {"type", "service_reference"}};
  EXPECT_EQ(post({{"title", "t"}, {"service", service}})->status, 400);  // no type
  EXPECT_EQ(post({{"type", "incident"}, {"service", service}})->status, 400);
  EXPECT_EQ(post({{"type", "incident"}, {"title", "t"}})->status, 400);
  auto unknown_service = post({{"type", "incident"}, {"title", "t"},
                               {"service", {{"id", "PNOPE"}}}});
  EXPECT_EQ(unknown_service->status, 400);
  EXPECT_NE(unknown_service->body.find("PNOPE"), std::string::npos);
  auto both = post({{"type", "incident"}, {"title", "t"}, {"service", service},
                    {"assignments", {{{"assignee", {{"id", "PRESP01"}}}}}},
                    {"escalation_policy", {{"id", "PEPWEB1"}}}});
  EXPECT_EQ(both->status, 400);
  auto bad_user = post({{"type", "incident"}, {"title", "t"}, {"service", service},
                        {"assignments", {{{"assignee", {{"id", "PGHOST"}}}}}}});
  EXPECT_EQ(bad_user->status, 400);
  EXPECT_EQ(ErrorCode(bad_user), 1007);
  auto bad_priority = post({{"type", "incident"}, {"title", "t"}, {"service", service},
                            {"priority", {{"id", "PNOPE"}}}});
  EXPECT_EQ(ErrorCode(bad_priority), 1020);
  EXPECT_EQ(post({{"type", "incident"}, {"title", "t"}, {"service", service},
                  {"urgency", "medium"}})->status, 400);
  auto not_json = client_->Post("/incidents",
                                {{"Authorization", "Token token=account-full"},
                                 {"From", "ada@example.com"}},
                                "{oops", "application/json");
  EXPECT_EQ(not_json->status, 400);
  EXPECT_EQ(Body(Get("/incidents"))["incidents"].size(), 0u);
}

TEST_F(IncidentsTest, DuplicateOpenIncidentKeyOnAServiceIsRefused) {
  const std::string first = NewIncident("a", "PSVCWEB", {{"incident_key", "k"}});
  auto dup = Call("POST", "/incidents", "account-full",
                  {{"incident", {{"type", "incident"}, {"title", "b"},
                                 {"service", {{"id", "PSVCWEB"}}}, {"incident_key", "k"}}}},
                  "ada@example.com");
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->status, 400);
  EXPECT_EQ(ErrorCode(dup), 2001);
  // Another service may reuse the key, and so may the same one once resolved.
  NewIncident("c", "PSVCDB1", {{"incident_key", "k"}});
  ASSERT_EQ(Update(first, {{"status", "resolved"}})->status, 200);
  NewIncident("d", "PSVCWEB", {{"incident_key", "k"}});
  auto by_key = Body(Get("/incidents?incident_key=k&statuses[]=triggered"))["incidents"];
  EXPECT_EQ(by_key.size(), 2u);
}

TEST_F(IncidentsTest, SelfAssignedIncidentIsCreatedAcknowledged) {
  auto res = Call("POST", "/incidents", "responder-token",
                  {{"incident", {{"type", "incident"}, {"title", "mine"},
                                 {"service", {{"id", "PSVCWEB"}}},
                                 {"assignments", {{{"assignee", {{"id", "PRESP01"}}}}}}}}});
  ASSERT_EQ(res->status, 201) << res->body;
  auto incident = Body(res)["incident"];
  EXPECT_EQ(incident["status"], "acknowledged");
  EXPECT_EQ(incident["assigned_via"], "direct_assignment");
  EXPECT_EQ(incident["acknowledgements"][0]["acknowledger"]["id"], "PRESP01");
}

TEST_F(IncidentsTest, GetAcceptsIdOrNumberAnd404sOtherwise) {
  const std::string id = NewIncident("x");
  EXPECT_EQ(Body(Get("/incidents/1"))["incident"]["id"], id);
  EXPECT_EQ(Body(Get("/incidents/" + id))["incident"]["incident_number"], 1);
  auto missing = Get("/incidents/PMISSING");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(ErrorCode(missing), 2100);
  EXPECT_EQ(Get("/incidents/99")->status, 404);
}

TEST_F(IncidentsTest, StatusTransitions) {
  const std::string id = NewIncident("x");
  // triggered -> acknowledged: acknowledgement by and assignment to the From user.
  auto ack = Update(id, {{"status", "acknowledged"}}, "otto@example.com");
  ASSERT_EQ(ack->status, 200) << ack->body;
  auto incident = Body(ack)["incident"];
  EXPECT_EQ(incident["status"], "acknowledged");
  EXPECT_EQ(incident["acknowledgements"][0]["acknowledger"]["id"], "POBSV01");
  EXPECT_EQ(incident["assignments"][0]["assignee"]["id"], "POBSV01");
  EXPECT_EQ(incident["last_status_change_by"]["id"], "POBSV01");
  // Re-acknowledging is fine.
  EXPECT_EQ(Update(id, {{"status", "acknowledged"}})->status, 200);
  // acknowledged -> triggered is refused.
  auto back = Update(id, {{"status", "triggered"}});
  EXPECT_EQ(back->status, 400);
  EXPECT_EQ(ErrorCode(back), 1003);
  EXPECT_EQ(Body(Get("/incidents/" + id))["incident"]["status"], "acknowledged");
  // acknowledged -> resolved clears assignments and acknowledgements.
  auto resolved = Body(Update(id, {{"status", "resolved"}, {"resolution", "fixed"}}))["incident"];
  EXPECT_EQ(resolved["status"], "resolved");
  EXPECT_TRUE(resolved["assignments"].empty());
  EXPECT_TRUE(resolved["acknowledgements"].empty());
  EXPECT_FALSE(resolved["resolved_at"].is_null());
  // resolved -> resolved is refused.
  auto again = Update(id, {{"status", "resolved"}});
  EXPECT_EQ(again->status, 400);
  EXPECT_EQ(ErrorCode(again), 1001);
  // resolved -> triggered reopens, assigned by the escalation policy.
  auto reopened = Body(Update(id, {{"status", "triggered"}}))["incident"];
  EXPECT_EQ(reopened["status"], "triggered");
  EXPECT_TRUE(reopened["resolved_at"].is_null());
  EXPECT_EQ(reopened["assignments"][0]["assignee"]["id"], "PRESP01");
  // resolved -> acknowledged reopens assigned to the current user.
  ASSERT_EQ(Update(id, {{"status", "resolved"}})->status, 200);
  auto reacked = Body(Update(id, {{"status", "acknowledged"}}, "ada@example.com"))["incident"];
  EXPECT_EQ(reacked["status"], "acknowledged");
  EXPECT_EQ(reacked["assignments"][0]["assignee"]["id"], "PADMIN1");
  // An invalid status.
  auto bad = Update(id, {{"status", "snoozed"}});
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(ErrorCode(bad), 1003);
}

TEST_F(IncidentsTest, UnacknowledgeWhenTheAccountAllowsIt) {
  nlohmann::json seed = TestSeed();
  seed["account"]["allow_unacknowledge"] = true;
  Admin("/admin/seed", seed);
  const std::string id = NewIncident("x");
  ASSERT_EQ(Update(id, {{"status", "acknowledged"}})->status, 200);
  auto res = Update(id, {{"status", "triggered"}});
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Body(res)["incident"]["status"], "triggered");
  EXPECT_TRUE(Body(res)["incident"]["acknowledgements"].empty());
  auto entries = Body(Get("/incidents/" + id + "/log_entries"))["log_entries"];
  EXPECT_EQ(entries[0]["type"], "unacknowledge_log_entry");
}

TEST_F(IncidentsTest, EscalationLevelRetriggersAnAcknowledgedIncident) {
  const std::string id = NewIncident("x");
  ASSERT_EQ(Update(id, {{"status", "acknowledged"}})->status, 200);
  auto res = Update(id, {{"escalation_level", 2}});
  ASSERT_EQ(res->status, 200) << res->body;
  auto incident = Body(res)["incident"];
  EXPECT_EQ(incident["status"], "triggered");
  EXPECT_EQ(incident["assignments"][0]["assignee"]["id"], "PADMIN1");
  EXPECT_EQ(Update(id, {{"escalation_level", 3}})->status, 400);
}

TEST_F(IncidentsTest, BodyDescriptionAndKeyAreNotUpdatable) {
  const std::string id = NewIncident("orig", "PSVCWEB",
                                     {{"incident_key", "k1"},
                                      {"body", {{"type", "incident_body"}, {"details", "d1"}}}});
  auto res = Update(id, {{"title", "new title"},
                         {"description", "new description"},
                         {"incident_key", "k2"},
                         {"incident_number", 42},
                         {"body", {{"type", "incident_body"}, {"details", "d2"}}}});
  ASSERT_EQ(res->status, 200) << res->body;
  auto incident = Body(Get("/incidents/" + id + "?include[]=body"))["incident"];
  EXPECT_EQ(incident["title"], "new title");
  EXPECT_EQ(incident["description"], "new title");
  EXPECT_EQ(incident["summary"], "[#1] new title");
  EXPECT_EQ(incident["incident_key"], "k1");
  EXPECT_EQ(incident["incident_number"], 1);
  EXPECT_EQ(incident["body"]["details"], "d1");
  EXPECT_EQ(Update(id, {{"title", ""}})->status, 400);
}

TEST_F(IncidentsTest, UpdateNeedsAType) {
  const std::string id = NewIncident("x");
  auto res = Call("PUT", "/incidents/" + id, "account-full",
                  {{"incident", {{"status", "acknowledged"}}}}, "ada@example.com");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(ErrorCode(res), 2001);
}

TEST_F(IncidentsTest, PriorityByReferenceOrNameAndUrgency) {
  const std::string id = NewIncident("x");
  auto by_ref = Body(Update(id, {{"priority", {{"id", "PPRIO03"}, {"type", "priority_reference"}}}}));
  EXPECT_EQ(by_ref["incident"]["priority"]["name"], "P3");
  auto by_name = Body(Update(id, {{"priority", "p1"}}));
  EXPECT_EQ(by_name["incident"]["priority"]["id"], "PPRIO01");
  auto unknown = Update(id, {{"priority", "P9"}});
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(ErrorCode(unknown), 1020);
  EXPECT_EQ(Body(Update(id, {{"urgency", "low"}}))["incident"]["urgency"], "low");
  EXPECT_EQ(Update(id, {{"urgency", "urgent"}})->status, 400);
}

TEST_F(IncidentsTest, ConferenceBridgeIsSetButNeverCleared) {
  const std::string id = NewIncident("x");
  Update(id, {{"conference_bridge", {{"conference_number", "+1 555 0100"},
                                     {"conference_url", "https://meet/1"}}}});
  Update(id, {{"conference_bridge", {{"conference_number", ""}, {"conference_url", nullptr}}}});
  auto bridge =
      Body(Get("/incidents/" + id + "?include[]=conference_bridge"))["incident"]["conference_bridge"];
  EXPECT_EQ(bridge["conference_number"], "+1 555 0100");
  EXPECT_EQ(bridge["conference_url"], "https://meet/1");
}

TEST_F(IncidentsTest, UpdatedAtBumpsWithTheSimulatorClock) {
  const std::string id = NewIncident("x");
  const std::string created = Body(Get("/incidents/" + id))["incident"]["updated_at"];
  Admin("/admin/clock/advance", {{"seconds", 120}});
  auto updated = Body(Update(id, {{"title", "y"}}))["incident"];
  EXPECT_GT(updated["updated_at"].get<std::string>(), created);
  EXPECT_EQ(updated["created_at"], created);
}

TEST_F(IncidentsTest, ReassignmentAndDelegation) {
  const std::string id = NewIncident("x");
  ASSERT_EQ(Update(id, {{"status", "acknowledged"}})->status, 200);
  auto reassigned = Body(Update(id, {{"assignments", {{{"assignee", {{"id", "PBOT001"}}}}}}}));
  EXPECT_EQ(reassigned["incident"]["status"], "triggered");
  EXPECT_EQ(reassigned["incident"]["assignments"][0]["assignee"]["id"], "PBOT001");
  EXPECT_EQ(reassigned["incident"]["assigned_via"], "direct_assignment");
  auto delegated = Body(Update(id, {{"escalation_policy", {{"id", "PEPDB01"}}}}));
  EXPECT_EQ(delegated["incident"]["escalation_policy"]["id"], "PEPDB01");
  EXPECT_EQ(delegated["incident"]["assignments"][0]["assignee"]["id"], "PADMIN1");
  auto bad = Update(id, {{"escalation_policy", {{"id", "PNOPE"}}}});
  EXPECT_EQ(ErrorCode(bad), 1014);
}

TEST_F(IncidentsTest, MoveToAnotherServiceChecksTheTargetToo) {
  const std::string id = NewIncident("x", "PSVCWEB");
  // Olga may write on PSVCWEB but is only an observer on PSVCDB1.
  auto denied = Call("PUT", "/incidents/" + id, "override-token",
                     {{"incident", {{"type", "incident"}, {"service", {{"id", "PSVCDB1"}}}}}});
  EXPECT_EQ(denied->status, 403);
  auto moved = Body(Update(id, {{"service", {{"id", "PSVCDB1"}, {"type", "service_reference"}}}}));
  EXPECT_EQ(moved["incident"]["service"]["id"], "PSVCDB1");
}

TEST_F(IncidentsTest, BulkUpdateIsAllOrNothing) {
  const std::string a = NewIncident("a");
  const std::string b = NewIncident("b");
  auto bulk = [&](nlohmann::json items) {
    return Call("PUT", "/incidents", "account-full", {{"incidents", items}}, "ada@example.com");
  };
  ASSERT_EQ(Update(b, {{"status", "acknowledged"}})->status, 200);
  auto refused = bulk({{{"id", a}, {"type", "incident_reference"}, {"status", "acknowledged"}},
                       {{"id", b}, {"type", "incident_reference"}, {"status", "triggered"}}});
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Body(Get("/incidents/" + a))["incident"]["status"], "triggered");

  auto ok = bulk({{{"id", a}, {"type", "incident_reference"}, {"status", "resolved"}},
                  {{"id", b}, {"type", "incident_reference"}, {"status", "resolved"}}});
  ASSERT_EQ(ok->status, 200) << ok->body;
  auto body = Body(ok);
  EXPECT_EQ(body["incidents"].size(), 2u);
  EXPECT_EQ(body["more"], false);
  EXPECT_EQ(Body(Get("/incidents/" + a))["incident"]["status"], "resolved");

  nlohmann::json too_many = nlohmann::json::array();
  for (int i = 0; i < 251; ++i) {
    too_many.push_back({{"id", a}, {"type", "incident_reference"}, {"title", "t"}});
  }
  auto big = bulk(too_many);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(bulk({{{"id", "PNOPE"}, {"type", "incident_reference"}}})->status, 404);
}

TEST_F(IncidentsTest, ReadOnlyFieldsRejectedWhenTheAccountSaysSo) {
  Admin("/admin/seed", {{"account", {{"reject_readonly_fields", true}}},
                        {"users", {{{"id", "PU1"}, {"name", "U"}, {"email", "u@example.com"}}}},
                        {"escalation_policies", {{{"id", "PE1"}, {"name", "E"},
                                                  {"levels", {{"PU1"}}}}}},
                        {"services", {{{"id", "PS1"}, {"name", "S"},
                                       {"escalation_policy_id", "PE1"}}}},
                        {"tokens", {{{"token", "t"}, {"user_id", "PU1"}}}}});
  auto created = Call("POST", "/incidents", "t",
                      {{"incident", {{"type", "incident"}, {"title", "x"},
                                     {"service", {{"id", "PS1"}}}}}});
  ASSERT_EQ(created->status, 201);
  const std::string id = Body(created)["incident"]["id"];
  auto res = Call("PUT", "/incidents/" + id, "t",
                  {{"incident", {{"type", "incident"}, {"description", "new"}}}});
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("description cannot be updated"), std::string::npos);
}

TEST_F(IncidentsTest, AnIncidentCreatedWithoutAKeyGetsAGeneratedOne) {
  const std::string first = NewIncident("a");
  const std::string second = NewIncident("b");
  const std::string key = Body(Get("/incidents/" + first))["incident"]["incident_key"];
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos) << key;
  EXPECT_NE(Body(Get("/incidents/" + second))["incident"]["incident_key"], key);
  auto found = Body(Get("/incidents?incident_key=" + key))["incidents"];
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["id"], first);
}

TEST_F(IncidentsTest, PathsPagerDutyDoesNotServeAre404WithItsErrorBody) {
  const std::string id = NewIncident("a");
  auto res = Get("/incidents/" + id + "/status_updates");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(ErrorCode(res), 2100) << res->body;
  EXPECT_EQ(Body(res)["error"]["message"], "Not Found");
}

TEST_F(IncidentsTest, CreatingIncidentsHasItsOwnLowerLimit) {
  // 16 a minute per token leaves 2 a minute for POST /incidents.
  auto limited = client_->Put("/admin/rate_limit", R"({"limit": 16, "window_seconds": 60})",
                              "application/json");
  ASSERT_TRUE(limited && limited->status == 200);
  auto create = [&] {
    return Call("POST", "/incidents", "account-full",
                {{"incident", {{"type", "incident"}, {"title", "t"},
                               {"service", {{"id", "PSVCWEB"}}}}}},
                "ada@example.com");
  };
  auto first = create();
  ASSERT_EQ(first->status, 201) << first->body;
  EXPECT_EQ(first->get_header_value("ratelimit-limit"), "2");
  EXPECT_EQ(first->get_header_value("ratelimit-remaining"), "1");
  ASSERT_EQ(create()->status, 201);
  auto third = create();
  EXPECT_EQ(third->status, 429);
  EXPECT_EQ(ErrorCode(third), 2020);
  // The per-token limit still has room for other operations.
  auto list = Get("/incidents");
  EXPECT_EQ(list->status, 200);
  EXPECT_EQ(list->get_header_value("ratelimit-limit"), "16");
}

}  // namespace
}  // namespace ferry::pagerduty_sim
