// The Table API client against a local server that answers as ServiceNow
// does: the parameters it sends, paging, OAuth, and the errors it turns
// ServiceNow's answers into (with their fixes, without secrets).
#include "connectors/servicenow/sn_table_client.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/testing/call_counter.h"
#include "http/testing/fake_clock.h"
#include "http/testing/local_server.h"
#include "nlohmann/json.hpp"
#include "proto/config.pb.h"

namespace ferry::servicenow {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassword[] = "s3cret-Passw0rd";

ListRequest For(const std::string& table, const std::string& query = "") {
  ListRequest request;
  request.table = table;
  request.query = query;
  return request;
}

void Answer(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

json ErrorBody(const std::string& message, const std::string& detail) {
  return {{"error", {{"message", message}, {"detail", detail}}}, {"status", "failure"}};
}

class TableClientTest : public ::testing::Test {
 protected:
  ferry::v1::SystemConfig System(const ServiceNowOptions& options = {}) {
    ferry::v1::SystemConfig system;
    system.set_name("sn");
    system.set_kind("servicenow");
    system.set_url(server_.Url("/"));
    system.set_username("ferry.integration");
    system.mutable_typed_options()->PackFrom(options);
    return system;
  }

  std::unique_ptr<TableClient> Make(const ServiceNowOptions& options = {},
                                    http::Clock* clock = nullptr) {
    ferry::engine::ConnectorContext context;
    context.http_observer = &observer_;
    auto client = TableClient::Create(System(options), kPassword, context, clock);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  // Every request's target and Authorization header, in order.
  std::vector<std::string> Seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }
  std::vector<std::string> Authorizations() {
    absl::MutexLock lock(&mu_);
    return authorizations_;
  }

  void Record(const httplib::Request& request) {
    absl::MutexLock lock(&mu_);
    seen_.push_back(request.method + " " + request.target);
    authorizations_.push_back(request.get_header_value("Authorization"));
  }

  http::testing::LocalServer server_;
  http::testing::CallCounter observer_;
  absl::Mutex mu_;
  std::vector<std::string> seen_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> authorizations_ ABSL_GUARDED_BY(mu_);
};

TEST_F(TableClientTest, ListsWithDatabaseValuesPlainReferencesAndNoCount) {
  server_.server().Get("/api/now/table/incident", [this](const httplib::Request& request,
                                                         httplib::Response& response) {
    Record(request);
    EXPECT_EQ(request.get_param_value("sysparm_display_value"), "false");
    EXPECT_EQ(request.get_param_value("sysparm_exclude_reference_link"), "true");
    EXPECT_EQ(request.get_param_value("sysparm_no_count"), "true");
    EXPECT_EQ(request.get_param_value("sysparm_query"),
              "sys_updated_on>=2026-12-06 07:00:00^ORDERBYsys_updated_on");
    EXPECT_EQ(request.get_param_value("sysparm_fields"), "number,state,sys_id");
    EXPECT_EQ(request.get_param_value("sysparm_limit"), "2");
    const std::string offset = request.get_param_value("sysparm_offset");
    if (offset == "0") {
      response.set_header(
          "Link", "<" + server_.Url("/api/now/table/incident?sysparm_offset=2") + ">;rel=\"next\"");
      Answer(response, 200,
             {{"result", {{{"sys_id", "a"}, {"state", "1"}}, {{"sys_id", "b"}, {"state", "2"}}}}});
    } else {
      Answer(response, 200, {{"result", {{{"sys_id", "c"}, {"state", "6"}}}}});
    }
  });
  server_.Start();
  auto client = Make();
  ListRequest request;
  request.table = "incident";
  request.query = "sys_updated_on>=2026-12-06 07:00:00^ORDERBYsys_updated_on";
  request.fields = {"number", "state"};
  request.limit = 2;
  auto rows = client->ListAll(request, 10);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[2]["state"], "6");
  EXPECT_EQ(Seen().size(), 2u);
  EXPECT_EQ(observer_.Take().reads, 2);  // ferry_api_requests_total sees each
  EXPECT_EQ(Authorizations()[0],
            "Basic " + absl::Base64Escape(std::string("ferry.integration:") + kPassword));
}

TEST_F(TableClientTest, ApiVersionOneAnswersNoRowsWith404) {
  server_.server().Get(
      "/api/now/v1/table/incident", [](const httplib::Request&, httplib::Response& response) {
        Answer(response, 404, ErrorBody("No Record found", "Records matching query not found"));
      });
  server_.Start();
  ServiceNowOptions options;
  options.set_api_version("v1");
  auto client = Make(options);
  auto page = client->List(For("incident", "number=INC0099999"));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(page->rows.empty());
  EXPECT_FALSE(page->more);
}

TEST_F(TableClientTest, A403NamesTheRoleTheTableNeeds) {
  server_.server().Get("/api/now/table/sys_audit",
                       [](const httplib::Request&, httplib::Response& response) {
                         Answer(response, 403,
                                ErrorBody("Insufficient rights to query records",
                                          "Field(s) present in the query do not "
                                          "have permission to be read"));
                       });
  server_.Start();
  auto page = Make()->List(For("sys_audit"));
  ASSERT_EQ(page.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(page.status().message(), HasSubstr("Insufficient rights to query records"));
  EXPECT_THAT(page.status().message(), HasSubstr("audit_viewer role"));
}

TEST_F(TableClientTest, ADataPolicyRefusalNamesTheFieldsNotARole) {
  server_.server().Patch("/api/now/table/incident/abc",
                         [](const httplib::Request&, httplib::Response& response) {
                           Answer(response, 403,
                                  ErrorBody("Operation Failed",
                                            "Data Policy Exception: The following fields are "
                                            "mandatory: Resolution code, Resolution notes"));
                         });
  server_.Start();
  auto row = Make()->Update("incident", "abc", {{"state", "6"}});
  ASSERT_EQ(row.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(row.status().message(), HasSubstr("Resolution code, Resolution notes"));
  EXPECT_THAT(row.status().message(), HasSubstr("close_code"));
  EXPECT_THAT(row.status().message(), Not(HasSubstr("role")));
}

TEST_F(TableClientTest, A401NamesTheCredentialSettingsAndNoSecret) {
  server_.server().Patch(
      "/api/now/table/incident/abc", [](const httplib::Request&, httplib::Response& response) {
        Answer(response, 401,
               ErrorBody("User Not Authenticated", "Required to provide Auth information"));
      });
  server_.Start();
  auto row = Make()->Update("incident", "abc", {{"state", "2"}});
  ASSERT_EQ(row.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(row.status().message(), HasSubstr("User Not Authenticated"));
  EXPECT_THAT(row.status().message(), HasSubstr("check username and token"));
  EXPECT_THAT(row.status().message(), Not(HasSubstr(kPassword)));
}

TEST_F(TableClientTest, GetOfAMissingRowIsNulloptAndAnUnparsableAnswerUnavailable) {
  server_.server().Get("/api/now/table/incident/gone",
                       [](const httplib::Request&, httplib::Response& response) {
                         Answer(response, 404,
                                ErrorBody("No Record found",
                                          "Record doesn't exist or ACL restricts "
                                          "the record retrieval"));
                       });
  server_.server().Get("/api/now/table/incident/odd",
                       [](const httplib::Request&, httplib::Response& response) {
                         Answer(response, 200, {{"result", {{"sys_id", 7}}}});
                       });
  server_.Start();
  auto client = Make();
  auto gone = client->Get("incident", "gone");
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_FALSE(gone->has_value());
  auto odd = client->Get("incident", "odd");
  EXPECT_EQ(odd.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(odd.status().message(), HasSubstr("sys_id"));
}

TEST_F(TableClientTest, ARateLimitOutlastingTheRetriesIsResourceExhausted) {
  server_.server().Get("/api/now/table/incident",
                       [](const httplib::Request&, httplib::Response& response) {
                         response.set_header("Retry-After", "3600");
                         response.set_header("X-RateLimit-Limit", "100");
                         Answer(response, 429,
                                ErrorBody("Rate limit exceeded",
                                          "Rate limit of 100 requests per hour "
                                          "for Table API exceeded"));
                       });
  server_.Start();
  http::FakeClock clock(http::FakeClock::Mode::kInstant);
  auto page = Make({}, &clock)->List(For("incident"));
  ASSERT_EQ(page.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(page.status().message(), HasSubstr("Rate limit of 100 requests per hour"));
  EXPECT_THAT(page.status().message(), HasSubstr("1h"));  // the wait it gave up on
}

TEST_F(TableClientTest, OAuthGrantsATokenAndRenewsItBeforeItExpires) {
  setenv("SN_TABLE_CLIENT_TEST_SECRET", "client-secret-value", 1);
  int grants = 0;
  server_.server().Post(
      "/oauth_token.do", [&](const httplib::Request& request, httplib::Response& response) {
        Record(request);
        EXPECT_EQ(request.get_header_value("Content-Type"), "application/x-www-form-urlencoded");
        const httplib::Params params = [&] {
          httplib::Params out;
          httplib::detail::parse_query_text(request.body, out);
          return out;
        }();
        EXPECT_EQ(params.find("grant_type")->second, "password");
        EXPECT_EQ(params.find("client_id")->second, "ferry-app");
        EXPECT_EQ(params.find("client_secret")->second, "client-secret-value");
        EXPECT_EQ(params.find("username")->second, "ferry.integration");
        EXPECT_EQ(params.find("password")->second, kPassword);
        ++grants;
        Answer(response, 200,
               {{"access_token", "access-" + std::to_string(grants)},
                {"token_type", "Bearer"},
                {"expires_in", 1799},
                {"refresh_token", "r"}});
      });
  server_.server().Get("/api/now/table/incident",
                       [this](const httplib::Request& request, httplib::Response& response) {
                         Record(request);
                         Answer(response, 200, {{"result", json::array()}});
                       });
  server_.Start();
  http::FakeClock clock(http::FakeClock::Mode::kInstant);
  ServiceNowOptions options;
  options.set_auth("oauth");
  options.set_oauth_client_id("ferry-app");
  options.set_oauth_client_secret_env("SN_TABLE_CLIENT_TEST_SECRET");
  auto client = Make(options, &clock);
  ASSERT_TRUE(client->List(For("incident")).ok());
  ASSERT_TRUE(client->List(For("incident")).ok());
  clock.Advance(absl::Seconds(1799 - 59));  // within the last minute
  ASSERT_TRUE(client->List(For("incident")).ok());
  EXPECT_EQ(grants, 2);
  const std::vector<std::string> authorizations = Authorizations();
  ASSERT_EQ(authorizations.size(), 5u);
  EXPECT_EQ(authorizations[1], "Bearer access-1");
  EXPECT_EQ(authorizations[2], "Bearer access-1");
  EXPECT_EQ(authorizations[4], "Bearer access-2");
}

TEST_F(TableClientTest, AnAccessTokenRevokedEarlyIsReplacedOnceThenTheRefusalStands) {
  setenv("SN_TABLE_CLIENT_TEST_SECRET", "client-secret-value", 1);
  int grants = 0;
  server_.server().Post(
      "/oauth_token.do", [&](const httplib::Request&, httplib::Response& response) {
        ++grants;
        Answer(response, 200,
               {{"access_token", "access-" + std::to_string(grants)}, {"expires_in", 1799}});
      });
  // The instance accepts only the second token: the first was revoked.
  server_.server().Get("/api/now/table/incident",
                       [this](const httplib::Request& request, httplib::Response& response) {
                         Record(request);
                         if (request.get_header_value("Authorization") == "Bearer access-2") {
                           Answer(response, 200, {{"result", json::array()}});
                         } else {
                           Answer(response, 401,
                                  ErrorBody("User Not Authenticated",
                                            "Required to provide Auth "
                                            "information"));
                         }
                       });
  server_.Start();
  ServiceNowOptions options;
  options.set_auth("oauth");
  options.set_oauth_client_id("ferry-app");
  options.set_oauth_client_secret_env("SN_TABLE_CLIENT_TEST_SECRET");
  auto client = Make(options);
  ASSERT_TRUE(client->List(For("incident")).ok());
  EXPECT_EQ(grants, 2);
  // Every later token refused: one new grant per call, then the 401.
  auto refused = Make(options);
  grants = 10;  // tokens access-11, access-12: never accepted
  auto page = refused->List(For("incident"));
  ASSERT_EQ(page.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(grants, 12);
  EXPECT_THAT(page.status().message(), HasSubstr("oauth_client_id"));
  EXPECT_THAT(page.status().message(), Not(HasSubstr("access-1")));
}

TEST_F(TableClientTest, ARefusedOAuthGrantNamesTheSettingsAndNoSecret) {
  setenv("SN_TABLE_CLIENT_TEST_SECRET", "client-secret-value", 1);
  server_.server().Post(
      "/oauth_token.do", [](const httplib::Request&, httplib::Response& response) {
        Answer(response, 401, {{"error_description", "access_denied"}, {"error", "server_error"}});
      });
  server_.Start();
  ServiceNowOptions options;
  options.set_auth("oauth");
  options.set_oauth_client_id("ferry-app");
  options.set_oauth_client_secret_env("SN_TABLE_CLIENT_TEST_SECRET");
  auto page = Make(options)->List(For("incident"));
  ASSERT_EQ(page.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(page.status().message(), HasSubstr("oauth_client_id"));
  EXPECT_THAT(page.status().message(), Not(HasSubstr("client-secret-value")));
  EXPECT_THAT(page.status().message(), Not(HasSubstr(kPassword)));
}

TEST_F(TableClientTest, CreateRefusesAMissingUsernameOrUrl) {
  server_.Start();
  ferry::v1::SystemConfig system = System();
  system.clear_username();
  auto client = TableClient::Create(system, kPassword);
  ASSERT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(client.status().message(), HasSubstr("username is empty"));
  system = System();
  system.clear_url();
  client = TableClient::Create(system, kPassword);
  EXPECT_THAT(client.status().message(), HasSubstr("url is empty"));
}

TEST_F(TableClientTest, EncodesQueryValuesAndBuildsRecordLinks) {
  EXPECT_EQ(TableClient::EncodeParam("a=b^c d&e"), "a%3Db%5Ec%20d%26e");
  server_.Start();
  EXPECT_EQ(Make()->RecordUrl("incident", "abc"),
            server_.Url("/nav_to.do?uri=incident.do%3Fsys_id%3Dabc"));
}

}  // namespace
}  // namespace ferry::servicenow
