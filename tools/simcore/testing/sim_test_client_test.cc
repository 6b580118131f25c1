#include "tools/simcore/testing/sim_test_client.h"

#include "absl/status/status.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "tools/simcore/sim_server.h"

namespace ferry::simcore {
namespace {

// A server answering GET /json with a JSON object, GET /text with plain
// text, GET /missing with 404, GET /whoami with the Authorization header,
// and echoing a PATCH's method, content type and body.
class SimTestClientTest : public ::testing::Test {
 protected:
  SimTestClientTest() : server_(SimServerOptions()) {
    server_.http().Get("/json", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"ok": true})", "application/json");
    });
    server_.http().Get("/text", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("plain", "text/plain");
    });
    server_.http().Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content(R"({"error": "no such thing"})", "application/json");
    });
    server_.http().Get("/whoami", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(nlohmann::json(req.get_header_value("Authorization")).dump(),
                      "application/json");
    });
    server_.http().Patch("/echo", [](const httplib::Request& req, httplib::Response& res) {
      const nlohmann::json echo = {{"method", req.method},
                                   {"content_type", req.get_header_value("Content-Type")},
                                   {"body", req.body}};
      res.set_content(echo.dump(), "application/json");
    });
  }

  SimServer server_;
};

TEST_F(SimTestClientTest, RequestsReachTheSimulatorAndJsonBodiesGoAsJson) {
  SimTestClient client(PortOrFail(server_.Start()));
  EXPECT_EQ(Body(client.Get("/json", {})), nlohmann::json({{"ok", true}}));
  const nlohmann::json echo = Body(client.Patch("/echo", {}, {{"a", 1}}));
  EXPECT_EQ(echo["method"], "PATCH");
  EXPECT_EQ(echo["content_type"], "application/json");
  EXPECT_EQ(echo["body"], R"({"a":1})");
}

TEST_F(SimTestClientTest, BodyIsNullForTextAndForNoAnswer) {
  SimTestClient client(PortOrFail(server_.Start()));
  EXPECT_TRUE(Body(client.Get("/text", {})).is_null());
  EXPECT_TRUE(Body(httplib::Result(nullptr, httplib::Error::Connection)).is_null());
}

TEST_F(SimTestClientTest, SuccessBodyFailsTheTestNamingTheCallAndTheAnswer) {
  SimTestClient client(PortOrFail(server_.Start()));
  EXPECT_EQ(SuccessBody(client.Get("/json", {}), "GET /json"), nlohmann::json({{"ok", true}}));
  const httplib::Result missing = client.Get("/missing", {});
  nlohmann::json body;
  EXPECT_NONFATAL_FAILURE(body = SuccessBody(missing, "GET /missing as alice"),
                          "GET /missing as alice: {\"error\": \"no such thing\"}");
  EXPECT_TRUE(body.is_null());
}

// A helper whose users sign in as "Name <user>".
class NamedUsers : public SimUserClient {
 public:
  explicit NamedUsers(SimServer& server) { Connect(server.Start()); }

 private:
  httplib::Headers HeadersFor(const std::string& user) const override {
    if (user.empty()) return {};
    return {{"Authorization", "Name " + user}};
  }
};

TEST_F(SimTestClientTest, AUserClientSendsEachUsersHeadersAndFerryByDefault) {
  NamedUsers users(server_);
  EXPECT_EQ(users.port(), server_.port());
  EXPECT_EQ(Body(users.Get("/whoami")), "Name ferry");
  EXPECT_EQ(Body(users.Get("/whoami", "alice")), "Name alice");
  EXPECT_EQ(Body(users.Get("/whoami", "")), "");
  EXPECT_EQ(Body(users.Patch("/echo", {{"b", 2}}, "alice"))["body"], R"({"b":2})");
}

TEST(SimTestClientStartTest, AFailedStartFailsTheTestAndItsRequestsFailToo) {
  int port = -1;
  EXPECT_NONFATAL_FAILURE(port = PortOrFail(absl::UnavailableError("bind failed")),
                          "bind failed");
  EXPECT_EQ(port, 0);
  SimTestClient client(port);
  bool answered = true;
  EXPECT_NONFATAL_FAILURE(answered = static_cast<bool>(client.Get("/anything", {})),
                          "GET /anything");
  EXPECT_FALSE(answered);
}

}  // namespace
}  // namespace ferry::simcore
