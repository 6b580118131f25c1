#include "tools/simcore/sim_server.h"

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace ferry::simcore {
namespace {

// Stop() right after Start() must not hang: httplib's stop() does nothing
// until the serving thread has begun to listen, so Start() returns only
// once it has. Repeated, because the window was a thread start-up.
TEST(SimServerLifecycleTest, StopRightAfterStartReturns) {
  for (int i = 0; i < 200; ++i) {
    SimServer server{SimServerOptions()};
    absl::StatusOr<int> port = server.Start();
    ASSERT_TRUE(port.ok()) << port.status();
    server.Stop();
  }
}

class SimServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SimServerOptions options;
    options.port_file = std::string(std::getenv("TEST_TMPDIR")) + "/port";
    server_ = std::make_unique<SimServer>(options);
    server_->http().Get("/hello", [](const httplib::Request&,
                                     httplib::Response& res) {
      res.set_content(R"({"hello":"world, a body long enough to cut"})",
                      "application/json");
    });
    absl::StatusOr<int> port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
  }

  void AddFault(const std::string& json) {
    auto res = client_->Post("/admin/faults", json, "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
  }

  std::unique_ptr<SimServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(SimServerTest, WritesThePortFileAndServes) {
  std::ifstream in(std::string(std::getenv("TEST_TMPDIR")) + "/port");
  int port = 0;
  in >> port;
  EXPECT_EQ(port, server_->port());
  auto res = client_->Get("/hello");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(SimServerTest, ClockAdvancesThroughAdmin) {
  auto res = client_->Post("/admin/clock/advance", R"({"seconds": 3600})",
                           "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(server_->clock().Offset(), absl::Hours(1));
  res = client_->Post("/admin/clock/advance", R"({"seconds": -1})",
                      "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("seconds"), std::string::npos);
}

TEST_F(SimServerTest, StatusFaultForTheNextNRequestsOnAPrefix) {
  AddFault(R"({"kind": "status", "status": 429, "count": 2, "path_prefix": "/hello"})");
  for (int i = 0; i < 2; ++i) {
    auto res = client_->Get("/hello");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 429);
    EXPECT_TRUE(res->body.empty());
  }
  auto res = client_->Get("/hello");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(SimServerTest, AdminPathsAreNeverFaulted) {
  AddFault(R"({"kind": "status", "status": 503})");
  auto res = client_->Get("/admin/faults");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  auto parsed = nlohmann::json::parse(res->body);
  EXPECT_EQ(parsed["faults"].size(), 1u);
  EXPECT_EQ(client_->Get("/hello")->status, 503);
  EXPECT_EQ(client_->Delete("/admin/faults")->status, 204);
  EXPECT_EQ(client_->Get("/hello")->status, 200);
}

TEST_F(SimServerTest, LatencyFaultStillServesTheRequest) {
  AddFault(R"({"kind": "latency", "latency_ms": 20, "count": 1})");
  auto res = client_->Get("/hello");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("hello"), std::string::npos);
  EXPECT_TRUE(server_->faults().List().empty()) << "the counted rule was used";
}

TEST_F(SimServerTest, MalformedBodyIsNotJson) {
  AddFault(R"({"kind": "malformed", "count": 1})");
  auto res = client_->Get("/hello");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_TRUE(nlohmann::json::parse(res->body, nullptr, false).is_discarded());
}

TEST_F(SimServerTest, TruncatedBodyFailsTheRead) {
  AddFault(R"({"kind": "truncate", "count": 1})");
  auto res = client_->Get("/hello");
  EXPECT_FALSE(res);  // the client sees a short body and a closed connection
  auto again = client_->Get("/hello");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(SimServerTest, DroppedConnectionGetsNoResponse) {
  AddFault(R"({"kind": "drop", "count": 1})");
  auto res = client_->Get("/hello");
  EXPECT_FALSE(res);
  auto again = client_->Get("/hello");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(SimServerTest, RateLimitIsConfigurableThroughAdmin) {
  auto res = client_->Put("/admin/rate_limit",
                          R"({"limit": 2, "window_seconds": 10})",
                          "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(server_->rate_limiter().limits().limit, 2);
  res = client_->Put("/admin/rate_limit", R"({"limit": 0})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
}

}  // namespace
}  // namespace ferry::simcore
