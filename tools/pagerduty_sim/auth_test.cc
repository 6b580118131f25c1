// Authentication, headers, From rules and the role model through HTTP.
#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty_sim {
namespace {

using AuthTest = SimFixture;

TEST_F(AuthTest, MissingOrUnknownTokenIs401WithCode2006) {
  for (const std::string& token : {std::string(), std::string("nope")}) {
    auto res = Get("/incidents", token);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(ErrorCode(res), 2006);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
    EXPECT_TRUE(Body(res)["error"]["errors"].is_array());
    EXPECT_EQ(res->body.find(token.empty() ? "@@" : token), std::string::npos)
        << "the token must not be echoed";
  }
  auto malformed = client_->Get("/incidents", {{"Authorization", "Token account-full"}});
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 401);
}

TEST_F(AuthTest, BearerTokensAreAccepted) {
  auto res = client_->Get("/incidents", {{"Authorization", "Bearer responder-token"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_FALSE(res->get_header_value("X-Request-Id").empty());
}

TEST_F(AuthTest, AcceptVersionTwoOrGenericPassesOtherVersionsFail) {
  auto generic = client_->Get("/users", {{"Authorization", "Token token=account-full"}});
  ASSERT_TRUE(generic);
  EXPECT_EQ(generic->status, 200);
  auto v1 = client_->Get("/users", {{"Authorization", "Token token=account-full"},
                                    {"Accept", "application/vnd.pagerduty+json;version=1"}});
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->status, 400);
  EXPECT_EQ(ErrorCode(v1), 2001);
}

nlohmann::json NewIncidentBody() {
  return {{"incident",
           {{"type", "incident"},
            {"title", "t"},
            {"service", {{"id", "PSVCWEB"}, {"type", "service_reference"}}}}}};
}

TEST_F(AuthTest, AccountTokenWritesNeedAValidFromHeader) {
  auto missing = Call("POST", "/incidents", "account-full", NewIncidentBody());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_NE(Body(missing)["error"]["message"].get<std::string>().find(
                "You must specify a user's email address in the \"From\" header"),
            std::string::npos);

  auto malformed = Call("POST", "/incidents", "account-full", NewIncidentBody(), "Ada Admin");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(ErrorCode(malformed), 1028);
  EXPECT_EQ(Body(malformed)["error"]["message"], "Malformed \"From\" header");

  auto unknown = Call("POST", "/incidents", "account-full", NewIncidentBody(),
                      "ghost@example.com");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(ErrorCode(unknown), 1008);

  auto ok = Call("POST", "/incidents", "account-full", NewIncidentBody(), "RITA@example.com");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201);
  EXPECT_EQ(Body(ok)["incident"]["last_status_change_by"]["id"], "PRESP01");
}

TEST_F(AuthTest, UserTokenWritesWithoutFromAreAttributedToTheTokenUser) {
  auto res = Call("POST", "/incidents", "responder-token", NewIncidentBody());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(Body(res)["incident"]["last_status_change_by"]["id"], "PRESP01");
}

TEST_F(AuthTest, ReadOnlyAccountTokenReadsButCannotWrite) {
  EXPECT_EQ(Get("/incidents", "account-ro")->status, 200);
  auto res = Call("POST", "/incidents", "account-ro", NewIncidentBody(), "ada@example.com");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(ErrorCode(res), 2010);
}

TEST_F(AuthTest, ObserverReadsButGets403OnEveryWrite) {
  const std::string id = NewIncident("observed", "PSVCWEB");
  EXPECT_EQ(Get("/incidents/" + id, "observer-token")->status, 200);
  EXPECT_EQ(Get("/incidents/" + id + "/notes", "observer-token")->status, 200);
  auto create = Call("POST", "/incidents", "observer-token", NewIncidentBody());
  EXPECT_EQ(create->status, 403);
  EXPECT_EQ(ErrorCode(create), 2010);
  auto ack = Call("PUT", "/incidents/" + id, "observer-token",
                  {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}});
  EXPECT_EQ(ack->status, 403);
  auto note = Call("POST", "/incidents/" + id + "/notes", "observer-token",
                   {{"note", {{"content", "hi"}}}});
  EXPECT_EQ(note->status, 403);
  auto update = Call("POST", "/incidents/" + id + "/status_updates", "observer-token",
                     {{"message", "hi"}});
  EXPECT_EQ(update->status, 403);
  EXPECT_EQ(Body(Get("/incidents/" + id))["incident"]["status"], "triggered");
}

TEST_F(AuthTest, TeamRoleLiftsAnObserverOnTheTeamsServices) {
  // Otto is an observer but a responder of the Databases team.
  const std::string id = NewIncident("db down", "PSVCDB1");
  auto ack = Call("PUT", "/incidents/" + id, "observer-token",
                  {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}});
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->status, 200) << ack->body;
}

TEST_F(AuthTest, ServiceOverrideReplacesTheBaseRole) {
  // Olga is a Responder, but only an observer on the Database service.
  const std::string db = NewIncident("db", "PSVCDB1");
  const std::string web = NewIncident("web", "PSVCWEB");
  nlohmann::json ack = {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}};
  EXPECT_EQ(Call("PUT", "/incidents/" + db, "override-token", ack)->status, 403);
  EXPECT_EQ(Call("PUT", "/incidents/" + web, "override-token", ack)->status, 200);
  EXPECT_EQ(Get("/incidents/" + db, "override-token")->status, 200);
}

TEST_F(AuthTest, RestrictedUsersSeeOnlyTheirTeamsServices) {
  // Rhea is restricted_access and a responder of the Web team only.
  const std::string web = NewIncident("web", "PSVCWEB");
  const std::string db = NewIncident("db", "PSVCDB1");
  auto list = Get("/incidents", "restricted-token");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200);
  auto incidents = Body(list)["incidents"];
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0]["id"], web);
  auto hidden = Get("/incidents/" + db, "restricted-token");
  EXPECT_EQ(hidden->status, 403);
  EXPECT_EQ(ErrorCode(hidden), 2010);
  auto services = Body(Get("/services", "restricted-token"))["services"];
  ASSERT_EQ(services.size(), 1u);
  EXPECT_EQ(services[0]["id"], "PSVCWEB");
  auto logs = Body(Get("/log_entries", "restricted-token"))["log_entries"];
  for (const auto& entry : logs) EXPECT_EQ(entry["service"]["id"], "PSVCWEB");
}

TEST_F(AuthTest, UsersMeNeedsAUserToken) {
  auto me = Get("/users/me", "responder-token");
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(Body(me)["user"]["id"], "PRESP01");
  EXPECT_EQ(Body(me)["user"]["role"], "limited_user");
  EXPECT_EQ(Body(me)["user"]["teams"].size(), 1u);
  auto account = Get("/users/me", "account-full");
  ASSERT_TRUE(account);
  EXPECT_EQ(account->status, 400);
  EXPECT_NE(account->body.find("account-level access token"), std::string::npos);
}

}  // namespace
}  // namespace ferry::pagerduty_sim
