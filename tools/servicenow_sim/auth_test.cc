// Basic and OAuth authentication, and the role-based table ACLs.
#include "tools/servicenow_sim/auth.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/testing/test_servicenow.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kIncidents[] = "/api/now/table/incident";

const nlohmann::json kNotAuthenticated = nlohmann::json::parse(
    R"({"error":{"message":"User Not Authenticated",
        "detail":"Required to provide Auth information"},"status":"failure"})");

int GetWith(TestServiceNow& sn, const std::string& authorization,
            const std::string& path = kIncidents) {
  return sn.Send("GET", path, {{"Authorization", authorization}})->status;
}

httplib::Result Token(TestServiceNow& sn, httplib::Params form) {
  httplib::Result result = sn.client().Post("/oauth_token.do", form);
  EXPECT_TRUE(result);
  return result;
}

TEST(AuthTest, BasicNeedsTheRightPasswordOfAnActiveUser) {
  TestServiceNow sn;
  EXPECT_EQ(GetWith(sn, TestServiceNow::BasicFor("ferry")), 200);
  httplib::Result none = sn.Get(kIncidents, "");
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(Body(none), kNotAuthenticated);
  EXPECT_EQ(GetWith(sn, "Basic " + absl::Base64Escape("ferry:wrong")), 401);
  EXPECT_EQ(GetWith(sn, "Basic " + absl::Base64Escape("ghost:ghost-password")),
            401);
  EXPECT_EQ(GetWith(sn, "Basic !!!"), 401);
  EXPECT_EQ(GetWith(sn, "Token ferry"), 401);
  ASSERT_EQ(sn.simulator()
                .store()
                .Seed("sys_user",
                      {{"user_name", "gone"},
                       {"user_password", "gone-password"},
                       {"roles", "itil"},
                       {"active", "false"}},
                      sn.simulator().Now())
                .status(),
            absl::OkStatus());
  EXPECT_EQ(GetWith(sn, TestServiceNow::BasicFor("gone")), 401);
}

TEST(AuthTest, PasswordGrantGivesABearerTokenThatExpiresOnTheSimClock) {
  TestServiceNow sn;
  httplib::Result issued = Token(sn, {{"grant_type", "password"},
                                      {"client_id", "ferry-client"},
                                      {"client_secret", "ferry-secret"},
                                      {"username", "ferry"},
                                      {"password", "ferry-password"}});
  ASSERT_EQ(issued->status, 200) << issued->body;
  nlohmann::json token = Body(issued);
  EXPECT_EQ(token["token_type"], "Bearer");
  EXPECT_EQ(token["scope"], "useraccount");
  EXPECT_EQ(token["expires_in"], 1799);
  ASSERT_TRUE(token["refresh_token"].is_string());
  const std::string bearer = "Bearer " + token["access_token"].get<std::string>();
  EXPECT_EQ(GetWith(sn, bearer), 200);

  sn.simulator().server().clock().Advance(absl::Seconds(1800));
  EXPECT_EQ(GetWith(sn, bearer), 401);

  httplib::Result refreshed = Token(sn, {{"grant_type", "refresh_token"},
                                         {"client_id", "ferry-client"},
                                         {"client_secret", "ferry-secret"},
                                         {"refresh_token", token["refresh_token"]}});
  ASSERT_EQ(refreshed->status, 200);
  EXPECT_EQ(GetWith(sn, "Bearer " + Body(refreshed)["access_token"].get<std::string>()),
            200);
}

TEST(AuthTest, RefusedTokenRequestsAnswerAccessDenied) {
  TestServiceNow sn;
  const nlohmann::json denied = {{"error", "server_error"},
                                 {"error_description", "access_denied"}};
  httplib::Params good = {{"grant_type", "password"},
                          {"client_id", "ferry-client"},
                          {"client_secret", "ferry-secret"},
                          {"username", "ferry"},
                          {"password", "ferry-password"}};
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"client_secret", "wrong"},
           {"client_id", "other"},
           {"password", "wrong"},
           {"grant_type", "client_credentials"}}) {
    httplib::Params form = good;
    form.erase(field);
    form.emplace(field, value);
    httplib::Result refused = Token(sn, form);
    EXPECT_EQ(refused->status, 401) << field;
    EXPECT_EQ(Body(refused), denied) << field;
  }
  EXPECT_EQ(Token(sn, {{"grant_type", "refresh_token"},
                       {"client_id", "ferry-client"},
                       {"client_secret", "ferry-secret"},
                       {"refresh_token", "made-up"}})
                ->status,
            401);
  EXPECT_EQ(GetWith(sn, "Bearer made-up"), 401);
}

TEST(AclTest, ItilReadsAndWritesIncidentsButNotTheJournal) {
  TestServiceNow sn;
  httplib::Result created =
      sn.Post(kIncidents, {{"short_description", "a"}}, "itil_only");
  ASSERT_EQ(created->status, 201);
  EXPECT_EQ(sn.Get(kIncidents, "itil_only")->status, 200);
  EXPECT_EQ(sn.Get("/api/now/table/sys_user", "itil_only")->status, 200);
  httplib::Result journal =
      sn.Get("/api/now/table/sys_journal_field", "itil_only");
  EXPECT_EQ(journal->status, 403);
  EXPECT_EQ(Body(journal)["error"]["message"], "User Not Authorized");
  EXPECT_EQ(sn.Get("/api/now/table/sys_audit", "itil_only")->status, 403);
  EXPECT_EQ(sn.Get("/api/now/table/sys_audit", "ferry")->status, 200);
  EXPECT_EQ(sn.Get("/api/now/table/sys_journal_field", "ferry")->status, 200);
}

TEST(AclTest, WithoutARoleListsAre403RowsAre404WritesAre403) {
  TestServiceNow sn;
  httplib::Result created = sn.Post(kIncidents, {{"short_description", "a"}});
  const std::string path =
      std::string(kIncidents) + "/" +
      Body(created)["result"]["sys_id"].get<std::string>();
  EXPECT_EQ(sn.Get(kIncidents, "nobody")->status, 403);
  httplib::Result row = sn.Get(path, "nobody");
  EXPECT_EQ(row->status, 404);
  EXPECT_EQ(Body(row)["error"]["detail"],
            "Record doesn't exist or ACL restricts the record retrieval");
  httplib::Result insert = sn.Post(kIncidents, {{"short_description", "b"}},
                                   "nobody");
  EXPECT_EQ(insert->status, 403);
  EXPECT_EQ(Body(insert), nlohmann::json::parse(R"({"error":{"message":
      "Operation Failed","detail":"ACL Exception Insert Failed due to security constraints"},
      "status":"failure"})"));
  EXPECT_EQ(sn.Patch(path, {{"short_description", "c"}}, "nobody")->status, 403);
  EXPECT_EQ(sn.Delete(path, "nobody")->status, 403);
  // itil may not write users; admin may.
  EXPECT_EQ(sn.Post("/api/now/table/sys_user", {{"user_name", "x"}}, "itil_only")
                ->status,
            403);
  EXPECT_EQ(sn.Post("/api/now/table/sys_user", {{"user_name", "x"}}, "admin")
                ->status,
            201);
}

}  // namespace
}  // namespace ferry::servicenow_sim
