// Authentication per dialect, through HTTP.
#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira_sim {
namespace {

const char kUnauthenticated[] =
    "Client must be authenticated to access this resource.";

TEST(DataCenterAuthTest, BasicWithNameAndPassword) {
  TestJira jira(Dialect::kDataCenter);
  auto res = jira.Get("/rest/api/2/myself");
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(Body(res)["name"], "ferry");
  EXPECT_EQ(res->get_header_value("X-AUSERNAME"), "ferry");
}

TEST(DataCenterAuthTest, WrongPasswordIs401WithSeraphReason) {
  TestJira jira(Dialect::kDataCenter);
  auto res = jira.GetWithAuthorization(
      "/rest/api/2/myself", "Basic " + absl::Base64Escape("ferry:wrong"));
  ASSERT_EQ(res->status, 401);
  EXPECT_EQ(Body(res)["errorMessages"][0], kUnauthenticated);
  EXPECT_EQ(res->get_header_value("X-Seraph-LoginReason"),
            "AUTHENTICATED_FAILED");
  EXPECT_EQ(res->body.find("wrong"), std::string::npos);
}

TEST(DataCenterAuthTest, BearerPersonalAccessToken) {
  TestJira jira(Dialect::kDataCenter);
  auto res = jira.GetWithAuthorization("/rest/api/latest/myself",
                                       "Bearer ferry-pat");
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(Body(res)["name"], "ferry");
  EXPECT_EQ(jira.GetWithAuthorization("/rest/api/2/myself", "Bearer nope")->status,
            401);
}

TEST(DataCenterAuthTest, PatAsBasicPasswordIsRefused) {
  TestJira jira(Dialect::kDataCenter);
  auto res = jira.GetWithAuthorization(
      "/rest/api/2/myself", "Basic " + absl::Base64Escape("ferry:ferry-pat"));
  EXPECT_EQ(res->status, 401);
}

TEST(DataCenterAuthTest, NoCredentialsIs401) {
  TestJira jira(Dialect::kDataCenter);
  auto res = jira.Get("/rest/api/2/myself", "");
  ASSERT_EQ(res->status, 401);
  EXPECT_EQ(Body(res)["errorMessages"][0], kUnauthenticated);
}

TEST(DataCenterAuthTest, NoVersion3) {
  TestJira jira(Dialect::kDataCenter);
  EXPECT_EQ(jira.Get("/rest/api/3/myself")->status, 404);
}

TEST(CloudAuthTest, BasicWithEmailAndApiToken) {
  TestJira jira(Dialect::kCloud);
  auto res = jira.Get("/rest/api/3/myself");
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(Body(res)["accountId"], "5b10ac8d82e05b22cc7d4ef5");
  EXPECT_EQ(res->get_header_value("X-AACCOUNTID"), "5b10ac8d82e05b22cc7d4ef5");
}

TEST(CloudAuthTest, NamePasswordAndBearerAreRefused) {
  TestJira jira(Dialect::kCloud);
  EXPECT_EQ(jira.GetWithAuthorization(
                    "/rest/api/3/myself",
                    "Basic " + absl::Base64Escape("ferry:ferry-password"))
                ->status,
            401);
  EXPECT_EQ(jira.GetWithAuthorization("/rest/api/3/myself", "Bearer ferry-pat")
                ->status,
            401);
}

TEST(CloudAuthTest, EveryVersionPathAnswers) {
  TestJira jira(Dialect::kCloud);
  EXPECT_EQ(jira.Get("/rest/api/2/myself")->status, 200);
  EXPECT_EQ(jira.Get("/rest/api/latest/myself")->status, 200);
}

}  // namespace
}  // namespace ferry::jira_sim
