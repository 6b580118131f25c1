#include "tools/simcore/sim_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "http/testing/loopback_socket.h"

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

TEST_F(SimServerTest, TheObserverSeesARequestBeforeItIsAnswered) {
  std::atomic<int> observed{0};
  server_->SetRequestObserver([&](const httplib::Request& req) {
    if (req.path == "/hello") ++observed;
  });
  // Checked right after the answer, with no wait: httplib's logger, which
  // runs after the answer is sent, made such counts race.
  for (int i = 1; i <= 50; ++i) {
    auto res = client_->Get("/hello");
    ASSERT_TRUE(res);
    EXPECT_EQ(observed.load(), i);
  }
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

// A kept-alive HTTP/1.1 connection spoken by hand, so the test knows whether
// the server kept it open (httplib's client would reconnect silently).
class KeptAliveConnection {
 public:
  // Reads give up after 20 s: that bounds a failing run; a passing one
  // never waits this long.
  explicit KeptAliveConnection(int port)
      : fd_(http::testing::ConnectLoopback(port, absl::Seconds(20))) {}
  ~KeptAliveConnection() {
    if (fd_ >= 0) close(fd_);
  }
  KeptAliveConnection(const KeptAliveConnection&) = delete;
  KeptAliveConnection& operator=(const KeptAliveConnection&) = delete;

  // Sends GET /hello on this connection and returns what came back up to the
  // end of the body ("" when the server closed the connection instead).
  std::string GetHello() {
    if (fd_ < 0) return "";
    const std::string request = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      return "";
    }
    std::string received;
    char buffer[1024];
    while (received.find("cut\"}") == std::string::npos) {
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) return "";
      received.append(buffer, static_cast<size_t>(n));
    }
    return received;
  }

 private:
  const int fd_;
};

// ferryd keeps a connection alive per reader and writer; with cpp-httplib's
// default 8 threads the ninth client waited until an idle one was closed
// (after its keep-alive timeout), so a person's own call waited seconds.
TEST_F(SimServerTest, FiftyKeptAliveConnectionsAndOneMoreCallAreServedAtOnce) {
  constexpr int kKeptAlive = 50;
  std::vector<std::unique_ptr<KeptAliveConnection>> kept;
  for (int i = 0; i < kKeptAlive; ++i) {
    kept.push_back(std::make_unique<KeptAliveConnection>(server_->port()));
    ASSERT_NE(kept.back()->GetHello(), "") << "connection " << i;
  }
  auto res = client_->Get("/hello");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  // Had any call waited for a thread, the connections it waited for would
  // have been closed by the server's keep-alive timeout by now.
  for (int i = 0; i < kKeptAlive; ++i) {
    EXPECT_NE(kept[i]->GetHello(), "") << "connection " << i << " was closed";
  }
}

}  // namespace
}  // namespace ferry::simcore
