// Rate limiting, fault injection and the admin API ("act as a human",
// seed, clock) through HTTP.
#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty_sim {
namespace {

class AdminTest : public SimFixture {
 protected:
  void SetLimit(int limit) {
    auto res = client_->Put("/admin/rate_limit",
                            nlohmann::json{{"limit", limit}, {"window_seconds", 60}}.dump(),
                            "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
  }
  httplib::Result Act(const nlohmann::json& request) {
    return client_->Post("/admin/act", request.dump(), "application/json");
  }
};

TEST_F(AdminTest, DefaultLimitIs960PerMinuteWithHeaders) {
  auto res = Get("/users");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("ratelimit-limit"), "960");
  EXPECT_EQ(res->get_header_value("ratelimit-remaining"), "959");
  EXPECT_FALSE(res->get_header_value("ratelimit-reset").empty());
}

TEST_F(AdminTest, RateLimitedRequestsGet429Code2020UntilTheClockMoves) {
  SetLimit(2);
  EXPECT_EQ(Get("/users", "account-full")->status, 200);
  EXPECT_EQ(Get("/users", "account-full")->status, 200);
  auto limited = Get("/users", "account-full");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(ErrorCode(limited), 2020);
  EXPECT_EQ(Body(limited)["error"]["message"], "Rate Limit Exceeded");
  EXPECT_EQ(limited->get_header_value("ratelimit-limit"), "2");
  EXPECT_EQ(limited->get_header_value("ratelimit-remaining"), "0");
  const int reset = std::stoi(limited->get_header_value("ratelimit-reset"));
  EXPECT_GT(reset, 0);
  // Another account token has its own bucket.
  EXPECT_EQ(Get("/users", "account-ro")->status, 200);
  Admin("/admin/clock/advance", {{"seconds", reset}});
  EXPECT_EQ(Get("/users", "account-full")->status, 200);
}

TEST_F(AdminTest, TheLimitIsAFixedWindowThatResetsWhole) {
  SetLimit(2);
  EXPECT_EQ(Get("/users", "account-full")->status, 200);
  Admin("/admin/clock/advance", {{"seconds", 30}});
  auto last = Get("/users", "account-full");
  EXPECT_EQ(last->get_header_value("ratelimit-remaining"), "0");
  EXPECT_EQ(last->get_header_value("ratelimit-reset"), "30");
  // A continuously refilled bucket would have one token back by now.
  Admin("/admin/clock/advance", {{"seconds", 29}});
  EXPECT_EQ(Get("/users", "account-full")->status, 429);
  Admin("/admin/clock/advance", {{"seconds", 1}});
  auto fresh = Get("/users", "account-full");
  EXPECT_EQ(fresh->status, 200);
  EXPECT_EQ(fresh->get_header_value("ratelimit-remaining"), "1");
}

TEST_F(AdminTest, UserTokensShareTheUsersBucket) {
  SetLimit(1);
  EXPECT_EQ(Get("/users", "responder-token")->status, 200);
  EXPECT_EQ(Get("/users", "responder-token-2")->status, 429);
  EXPECT_EQ(Get("/users", "observer-token")->status, 200);
  // Unauthenticated requests are not counted and carry no headers.
  auto anonymous = Get("/users", "");
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_FALSE(anonymous->has_header("ratelimit-limit"));
}

TEST_F(AdminTest, FaultsAreInjectedPerPathForTheNextNRequests) {
  Admin("/admin/faults", {{"kind", "status"}, {"status", 429}, {"count", 1},
                          {"path_prefix", "/incidents"}});
  auto bare = Get("/incidents");
  EXPECT_EQ(bare->status, 429);
  EXPECT_TRUE(bare->body.empty());
  EXPECT_FALSE(bare->has_header("ratelimit-limit"));
  EXPECT_EQ(Get("/incidents")->status, 200);

  // PagerDuty's odd error shapes: "errors" as a string, "error" as an array.
  Admin("/admin/faults", {{"kind", "status"}, {"status", 400}, {"count", 1},
                          {"body", {{"error", {{"message", "Invalid Override"}, {"code", 2001},
                                               {"errors", "must end in the future"}}}}}});
  auto odd = Get("/users");
  EXPECT_EQ(odd->status, 400);
  EXPECT_TRUE(Body(odd)["error"]["errors"].is_string());
  Admin("/admin/faults", {{"kind", "status"}, {"status", 400}, {"count", 1},
                          {"body", {{"error", {"links should have at most 50 item(s)"}}}}});
  EXPECT_TRUE(Body(Get("/users"))["error"].is_array());
  Admin("/admin/faults", {{"kind", "status"}, {"status", 400}, {"count", 1},
                          {"body", {{"error", {{"message", "Invalid Schedule"}, {"code", 3001},
                                               {"errors", {{"rotation_layers", {"bad"}}}}}}}}});
  EXPECT_TRUE(Body(Get("/users"))["error"]["errors"].is_object());
  Admin("/admin/faults", {{"kind", "status"}, {"status", 408}, {"count", 1}});
  EXPECT_EQ(Get("/users")->status, 408);
  Admin("/admin/faults", {{"kind", "truncate"}, {"count", 1}, {"path_prefix", "/users"}});
  EXPECT_FALSE(Get("/users"));
  Admin("/admin/faults", {{"kind", "status"}, {"status", 500}, {"count", 1},
                          {"path_prefix", "/users"}, {"method", "GET"}});
  EXPECT_EQ(Get("/users")->status, 500);
  Admin("/admin/faults", {{"kind", "drop"}, {"count", 1}});
  EXPECT_FALSE(Get("/users"));
  Admin("/admin/faults", {{"kind", "malformed"}, {"count", 1}});
  EXPECT_TRUE(Body(Get("/users")).is_discarded());
  EXPECT_EQ(Get("/users")->status, 200);
}

TEST_F(AdminTest, ActAsAHuman) {
  auto created = Act({{"as", "rita@example.com"},
                      {"method", "POST"},
                      {"path", "/incidents"},
                      {"body", {{"incident", {{"type", "incident"}, {"title", "from the UI"},
                                              {"service", {{"id", "PSVCWEB"}}}}}}}});
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = Body(created)["incident"]["id"];
  EXPECT_EQ(Body(created)["incident"]["last_status_change_by"]["id"], "PRESP01");

  auto ack = Act({{"as", "PRESP01"}, {"method", "PUT"}, {"path", "/incidents/" + id},
                  {"body", {{"incident", {{"type", "incident"}, {"status", "acknowledged"}}}}}});
  EXPECT_EQ(ack->status, 200);
  auto note = Act({{"as", "PRESP01"}, {"method", "POST"}, {"path", "/incidents/" + id + "/notes"},
                   {"body", {{"note", {{"content", "on it"}}}}}});
  EXPECT_EQ(note->status, 200);
  auto update = Act({{"as", "PRESP01"}, {"method", "POST"},
                     {"path", "/incidents/" + id + "/status_updates"},
                     {"body", {{"message", "fixing"}}}});
  EXPECT_EQ(update->status, 200);
  auto entries = Body(Get("/incidents/" + id + "/log_entries"))["log_entries"];
  EXPECT_EQ(entries[0]["type"], "status_update_log_entry");
  EXPECT_EQ(entries[0]["agent"]["id"], "PRESP01");

  // The person's own role applies: an observer cannot write.
  auto denied = Act({{"as", "otto@example.com"}, {"method", "PUT"}, {"path", "/incidents/" + id},
                     {"body", {{"incident", {{"type", "incident"}, {"status", "resolved"}}}}}});
  EXPECT_EQ(denied->status, 403);
  EXPECT_EQ(Act({{"as", "nobody"}, {"method", "GET"}, {"path", "/incidents"}})->status, 400);
  EXPECT_EQ(Act({{"as", "PRESP01"}, {"method", "GET"}, {"path", "/nowhere"}})->status, 404);
}

TEST_F(AdminTest, SeedErrorsNameTheProblem) {
  auto res = client_->Post(
      "/admin/seed",
      R"({"users": [{"id": "U1", "name": "U", "email": "u@x"}],
          "services": [{"id": "S1", "name": "S", "escalation_policy_id": "NOPE"}]})",
      "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("service S1"), std::string::npos);
  EXPECT_NE(res->body.find("NOPE"), std::string::npos);
  // The previous state is kept.
  EXPECT_EQ(Get("/services/PSVCWEB")->status, 200);
}

}  // namespace
}  // namespace ferry::pagerduty_sim
