// The webhook v3 receiver: signatures, redeliveries and replays, wake-ups,
// limits, slow and idle clients, TLS, and real deliveries from the
// simulator's dispatcher.
#include "connectors/pagerduty/pd_webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/testing/loopback_socket.h"
#include "httplib.h"
#include "tests/support/self_signed.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"
#include "tools/pagerduty_sim/webhook_dispatcher.h"

namespace ferry::pagerduty {
namespace {

using ::ferry::pagerduty_sim::WebhookSignature;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kSecret[] = "c2VjcmV0LWZvci10ZXN0cw==";
constexpr char kBody[] = R"({"event":{"id":"E1","event_type":"incident.acknowledged"}})";

TEST(PagerDutySignatureTest, MatchesOnlyTheSecretsHmacOfTheBody) {
  const std::string good = WebhookSignature(kSecret, kBody);
  EXPECT_TRUE(PagerDutySignatureMatches(kSecret, kBody, good));
  EXPECT_FALSE(PagerDutySignatureMatches("another secret", kBody, good));
  EXPECT_FALSE(PagerDutySignatureMatches(kSecret, std::string(kBody) + " ", good));
  EXPECT_FALSE(PagerDutySignatureMatches(kSecret, kBody, ""));
  EXPECT_FALSE(PagerDutySignatureMatches(kSecret, kBody, "v1="));
  EXPECT_FALSE(PagerDutySignatureMatches(kSecret, kBody, good.substr(0, good.size() - 1)));
  // RFC 4231 test case 2, as PagerDuty spells it.
  EXPECT_TRUE(PagerDutySignatureMatches(
      "Jefe", "what do ya want for nothing?",
      "v1=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

TEST(PagerDutySignatureTest, AnyOfSeveralSignaturesDuringRotation) {
  const std::string old_secret = WebhookSignature("old secret", kBody);
  const std::string current = WebhookSignature(kSecret, kBody);
  EXPECT_TRUE(PagerDutySignatureMatches(kSecret, kBody, old_secret + "," + current));
  EXPECT_TRUE(PagerDutySignatureMatches(kSecret, kBody, current + ", " + old_secret));
  EXPECT_FALSE(PagerDutySignatureMatches(kSecret, kBody, old_secret + "," + old_secret));
  // Other versions are ignored, even with the right digest.
  EXPECT_FALSE(PagerDutySignatureMatches(kSecret, kBody, "v2=" + current.substr(3)));
}

// A distinct event body per id, as PagerDuty sends (the same body twice is
// a replay).
std::string EventBody(const std::string& id) {
  return R"({"event":{"id":")" + id + R"(","event_type":"incident.acknowledged"}})";
}

// The options of a test receiver on 127.0.0.1:`port` (0: OS-chosen).
PdWebhookReceiverOptions TestOptions(const std::string& secret = kSecret, int port = 0,
                                     size_t remembered_ids = 10000) {
  PdWebhookReceiverOptions options;
  options.listen = "127.0.0.1:" + std::to_string(port);
  options.secret = secret;
  options.remembered_ids = remembered_ids;
  options.max_body_bytes = 4096;
  return options;
}

// A receiver that counts its wake-ups and, as its observer, the outcomes it
// reports.
class Receiver : public ferry::http::HttpObserver {
 public:
  explicit Receiver(const std::string& secret = kSecret, int port = 0,
                    size_t remembered_ids = 10000)
      : Receiver(TestOptions(secret, port, remembered_ids)) {}

  explicit Receiver(PdWebhookReceiverOptions options) {
    options.observer = this;
    options.system = "pd-test";
    options.on_delivery = [this] {
      absl::MutexLock lock(&mu_);
      ++wakes_;
    };
    auto started = PdWebhookReceiver::Start(std::move(options));
    EXPECT_TRUE(started.ok()) << started.status();
    if (started.ok()) receiver_ = *std::move(started);
  }

  PdWebhookReceiver& get() { return *receiver_; }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(receiver_->port()) + "/pagerduty/webhook";
  }

  // Posts `body` signed with `signature` (none when empty) and `id`.
  httplib::Result Post(const std::string& body, const std::string& signature,
                       const std::string& id) {
    httplib::Client client("127.0.0.1", receiver_->port());
    httplib::Headers headers;
    if (!signature.empty()) headers.emplace("X-PagerDuty-Signature", signature);
    if (!id.empty()) headers.emplace("X-Webhook-Id", id);
    return client.Post("/pagerduty/webhook", headers, body, "application/json");
  }
  // Posts `id`'s own event body, signed.
  httplib::Result PostSigned(const std::string& id) {
    const std::string body = EventBody(id);
    return Post(body, WebhookSignature(kSecret, body), id);
  }

  void OnAttempt(const ferry::http::HttpAttempt&) override {}
  void OnWebhookDelivery(const ferry::http::WebhookDelivery& delivery) override {
    absl::MutexLock lock(&mu_);
    EXPECT_EQ(delivery.system, "pd-test");
    ++outcomes_[std::string(delivery.outcome)];
  }
  // How many deliveries the receiver reported with `outcome`.
  int Count(const std::string& outcome) {
    absl::MutexLock lock(&mu_);
    return outcomes_[outcome];
  }

  // Waits (up to 20 s) for at least `n` wake-ups; returns the count.
  int WaitForWakes(int n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&] { return wakes_ >= n; };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(20));
    return wakes_;
  }
  // Stops the receiver (making every owed wake-up) and returns the count.
  int StopAndCountWakes() {
    receiver_.reset();
    absl::MutexLock lock(&mu_);
    return wakes_;
  }

 private:
  absl::Mutex mu_;
  int wakes_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int> outcomes_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<PdWebhookReceiver> receiver_;
};

TEST(PdWebhookReceiverTest, WakesOncePerNewSignedDelivery) {
  Receiver receiver;
  auto first = receiver.PostSigned("W1");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 202);
  EXPECT_EQ(receiver.WaitForWakes(1), 1);
  auto again = receiver.PostSigned("W1");  // a redelivery of W1
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  ASSERT_EQ(receiver.PostSigned("W2")->status, 202);
  ASSERT_EQ(receiver.PostSigned("W3")->status, 202);
  ASSERT_EQ(receiver.PostSigned("W2")->status, 200);
  EXPECT_EQ(receiver.Count("accepted"), 3);
  EXPECT_EQ(receiver.Count("duplicate"), 2);
  EXPECT_EQ(receiver.Count("rejected"), 0);
  EXPECT_EQ(receiver.StopAndCountWakes(), 3);
}

TEST(PdWebhookReceiverTest, RefusesMissingAndWrongSignaturesWithoutWaking) {
  Receiver receiver;
  auto missing = receiver.Post(kBody, "", "W1");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  auto wrong = receiver.Post(kBody, WebhookSignature("not our secret", kBody), "W2");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto tampered = receiver.Post(std::string(kBody) + "\n", WebhookSignature(kSecret, kBody), "W3");
  ASSERT_TRUE(tampered);
  EXPECT_EQ(tampered->status, 401);
  // A refused delivery does not use up its id: the genuine one is accepted.
  EXPECT_EQ(receiver.PostSigned("W2")->status, 202);
  EXPECT_EQ(receiver.Count("rejected"), 3);
  EXPECT_EQ(receiver.StopAndCountWakes(), 1);
}

TEST(PdWebhookReceiverTest, RotatedSecretsAreAccepted) {
  Receiver receiver;
  const std::string header =
      WebhookSignature("previous secret", kBody) + "," + WebhookSignature(kSecret, kBody);
  EXPECT_EQ(receiver.Post(kBody, header, "W1")->status, 202);
  EXPECT_EQ(receiver.StopAndCountWakes(), 1);
}

TEST(PdWebhookReceiverTest, RemembersOnlyTheLatestIds) {
  Receiver receiver(kSecret, 0, /*remembered_ids=*/2);
  for (const char* id : {"W1", "W2", "W3"}) ASSERT_EQ(receiver.PostSigned(id)->status, 202);
  EXPECT_EQ(receiver.PostSigned("W3")->status, 200);
  EXPECT_EQ(receiver.PostSigned("W2")->status, 200);
  EXPECT_EQ(receiver.PostSigned("W1")->status, 202) << "W1 was forgotten";
  EXPECT_EQ(receiver.StopAndCountWakes(), 4);
}

TEST(PdWebhookReceiverTest, DeliveriesWithoutAnIdWakeOncePerBody) {
  Receiver receiver;
  for (const char* event : {"E1", "E2", "E1"}) {
    const std::string body = EventBody(event);
    receiver.Post(body, WebhookSignature(kSecret, body), "");
  }
  EXPECT_EQ(receiver.Count("accepted"), 2);
  EXPECT_EQ(receiver.Count("duplicate"), 1);
  EXPECT_EQ(receiver.StopAndCountWakes(), 2);
}

TEST(PdWebhookReceiverTest, AReplayedBodyUnderNewIdsWakesOnce) {
  Receiver receiver;
  const std::string signature = WebhookSignature(kSecret, kBody);
  EXPECT_EQ(receiver.Post(kBody, signature, "W1")->status, 202);
  for (const char* id : {"W2", "W3", ""}) {
    EXPECT_EQ(receiver.Post(kBody, signature, id)->status, 200) << id;
  }
  EXPECT_EQ(receiver.Count("duplicate"), 3);
  EXPECT_EQ(receiver.StopAndCountWakes(), 1);
}

TEST(PdWebhookReceiverTest, RefusesOversizedBodiesAndAnswersHealthChecks) {
  Receiver receiver;
  const std::string big(8192, 'x');
  auto res = receiver.Post(big, WebhookSignature(kSecret, big), "W1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  httplib::Client client("127.0.0.1", receiver.get().port());
  auto health = client.Get("/pagerduty/webhook");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(receiver.StopAndCountWakes(), 0);
}

// Raises this process's soft descriptor limit to at least `needed`.
void RaiseDescriptorLimit(rlim_t needed) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  ASSERT_GE(limit.rlim_max, needed) << "the hard limit on open files forbids this test";
  if (limit.rlim_cur >= needed) return;
  limit.rlim_cur = needed;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
}

// Raw TCP connections to 127.0.0.1, closed on destruction.
class RawConnections {
 public:
  RawConnections() = default;
  RawConnections(const RawConnections&) = delete;
  RawConnections& operator=(const RawConnections&) = delete;
  ~RawConnections() {
    for (int fd : fds_) close(fd);
  }

  // Connects to `port`; the socket, or -1. Reads wait at most 20 s.
  int Open(int port) {
    const int fd = http::testing::ConnectLoopback(port, absl::Seconds(20));
    if (fd >= 0) fds_.push_back(fd);
    return fd;
  }

  const std::vector<int>& fds() const { return fds_; }

 private:
  std::vector<int> fds_;
};

// Reads what `fd` receives until the end of a response head, the peer
// closes, or 20 s of silence.
std::string ReadResponseHead(int fd) {
  std::string received;
  char buffer[1024];
  while (received.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<size_t>(n));
  }
  return received;
}

TEST(PdWebhookReceiverTest, RefusesAnOversizedChunkedBodyBeforeItEnds) {
  Receiver receiver;  // max_body_bytes 4096
  RawConnections connections;
  const int fd = connections.Open(receiver.get().port());
  ASSERT_GE(fd, 0);
  // One 8 KB chunk and no last chunk: the body never ends, so only a limit
  // that holds for chunked bodies can answer.
  const std::string request =
      "POST /pagerduty/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Transfer-Encoding: chunked\r\n\r\n2000\r\n" +
      std::string(8192, 'x') + "\r\n";
  ASSERT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  EXPECT_THAT(ReadResponseHead(fd), StartsWith("HTTP/1.1 413"));
  EXPECT_EQ(receiver.Count("rejected"), 1);
  EXPECT_EQ(receiver.StopAndCountWakes(), 0);
}

TEST(PdWebhookReceiverTest, ServesASignedDeliveryWhileAThousandSlowOrIdleClientsAreConnected) {
  constexpr int kClients = 1000;
  // Both ends of every connection are in this process.
  RaiseDescriptorLimit(2 * kClients + 256);
  Receiver receiver;
  RawConnections clients;  // closed first, so the receiver's threads end
  for (int i = 0; i < kClients; ++i) ASSERT_GE(clients.Open(receiver.get().port()), 0) << i;

  // Every other client sends one byte of an endless header every 300 ms,
  // within any read timeout; the others send nothing.
  std::atomic<bool> done{false};
  std::atomic<int> rounds{0};
  std::thread trickle([&] {
    const std::string head = "POST /pagerduty/webhook HTTP/1.1\r\nX-Slow: ";
    for (size_t sent = 0; !done; ++sent) {
      const char byte = sent < head.size() ? head[sent] : 'a';
      for (size_t i = 0; i < clients.fds().size(); i += 2) {
        send(clients.fds()[i], &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      }
      ++rounds;
      for (int wait = 0; wait < 6 && !done; ++wait) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  });
  for (int i = 0; i < 400 && rounds < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  httplib::Client client("127.0.0.1", receiver.get().port());
  client.set_connection_timeout(30);
  client.set_read_timeout(30);
  const std::string body = EventBody("E1");
  auto delivered = client.Post("/pagerduty/webhook",
                               {{"X-PagerDuty-Signature", WebhookSignature(kSecret, body)},
                                {"X-Webhook-Id", "W1"}},
                               body, "application/json");
  done = true;
  trickle.join();
  ASSERT_TRUE(delivered) << httplib::to_string(delivered.error());
  EXPECT_EQ(delivered->status, 202);
  EXPECT_EQ(receiver.WaitForWakes(1), 1);
}

// Whether the peer of `fd` has closed: waits up to `wait_ms` for it.
bool PeerClosed(int fd, int wait_ms) {
  pollfd ready{fd, POLLIN, 0};
  if (poll(&ready, 1, wait_ms) <= 0) return false;
  char byte;
  return recv(fd, &byte, 1, MSG_DONTWAIT) <= 0;
}

TEST(PdWebhookReceiverTest, CutsAClientTricklingBytesOnceItsConnectionIsTooOld) {
  PdWebhookReceiverOptions options = TestOptions();
  options.read_timeout_seconds = 2;
  options.max_connection_seconds = 3;
  Receiver receiver(options);
  RawConnections clients;
  const int fd = clients.Open(receiver.get().port());
  ASSERT_GE(fd, 0);
  // A header byte every 500 ms, within every read timeout: only a limit on
  // the connection's whole time ends it. Given up after 30 s.
  const std::string head = "POST /pagerduty/webhook HTTP/1.1\r\nX-Slow: ";
  bool closed = false;
  for (size_t sent = 0; sent < 60 && !closed; ++sent) {
    const char byte = sent < head.size() ? head[sent] : 'a';
    closed = send(fd, &byte, 1, MSG_NOSIGNAL) < 0 || PeerClosed(fd, 500);
  }
  EXPECT_TRUE(closed) << "a client trickling bytes kept its connection for 30 s";
  // Signed deliveries are served as before.
  auto delivered = receiver.PostSigned("E1");
  ASSERT_TRUE(delivered);
  EXPECT_EQ(delivered->status, 202);
}

TEST(PdWebhookReceiverTest, AConnectionBeyondTheCapIsClosedAtOnce) {
  PdWebhookReceiverOptions options = TestOptions();
  options.max_connections = 2;
  // The two connections at the cap stay open longer than a read below waits.
  options.read_timeout_seconds = 60;
  options.max_connection_seconds = 60;
  Receiver receiver(options);
  RawConnections clients;
  const int first = clients.Open(receiver.get().port());
  const int second = clients.Open(receiver.get().port());
  ASSERT_GE(first, 0);
  ASSERT_GE(second, 0);
  // Both are served (each answers a health check, keeping its connection).
  for (int fd : {first, second}) {
    const std::string get = "GET /pagerduty/webhook HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_EQ(send(fd, get.data(), get.size(), MSG_NOSIGNAL), static_cast<ssize_t>(get.size()));
    EXPECT_THAT(ReadResponseHead(fd), StartsWith("HTTP/1.1 200"));
  }
  // The third is closed unread, not left waiting (reads wait 20 s).
  const int third = clients.Open(receiver.get().port());
  ASSERT_GE(third, 0);
  char byte;
  EXPECT_EQ(recv(third, &byte, 1, 0), 0) << "the connection beyond the cap was not closed";

  // Once a client leaves, deliveries are served again (PagerDuty retries
  // a refused one).
  close(first);
  int status = 0;
  for (int attempt = 0; attempt < 100 && status != 202; ++attempt) {
    auto delivered = receiver.PostSigned("E1");
    if (delivered) status = delivered->status;
    if (status != 202) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 202);
}

TEST(PdWebhookReceiverTest, ServesHttpsAndRefusesPlainHttp) {
  const testing::PemFiles pem = testing::MintSelfSignedCertificate(std::getenv("TEST_TMPDIR"));
  PdWebhookReceiverOptions options = TestOptions();
  options.tls_certificate_file = pem.certificate;
  options.tls_private_key_file = pem.private_key;
  Receiver receiver(std::move(options));
  const std::string port = std::to_string(receiver.get().port());
  const std::string body = EventBody("E1");
  const httplib::Headers headers = {{"X-PagerDuty-Signature", WebhookSignature(kSecret, body)},
                                    {"X-Webhook-Id", "W1"}};

  httplib::Client plain("http://127.0.0.1:" + port);
  plain.set_read_timeout(10);
  auto refused = plain.Post("/pagerduty/webhook", headers, body, "application/json");
  EXPECT_FALSE(refused) << "plain HTTP answered " << refused->status;

  httplib::Client https("https://127.0.0.1:" + port);
  https.set_ca_cert_path(pem.certificate.c_str());
  https.enable_server_certificate_verification(true);
  auto delivered = https.Post("/pagerduty/webhook", headers, body, "application/json");
  ASSERT_TRUE(delivered) << httplib::to_string(delivered.error());
  EXPECT_EQ(delivered->status, 202);
  EXPECT_EQ(receiver.StopAndCountWakes(), 1);
}

TEST(PdWebhookReceiverTest, TlsNeedsBothFilesAndFilesThatLoad) {
  PdWebhookReceiverOptions options = TestOptions();
  options.tls_certificate_file = "/nonexistent/server.crt";
  EXPECT_EQ(PdWebhookReceiver::Start(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.tls_private_key_file = "/nonexistent/server.key";
  auto unreadable = PdWebhookReceiver::Start(options);
  EXPECT_EQ(unreadable.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unreadable.status().message()), HasSubstr("/nonexistent/server.crt"));
}

TEST(PdWebhookReceiverTest, StartFailuresNameTheAddress) {
  PdWebhookReceiverOptions options;
  options.secret = kSecret;
  options.listen = "8095";
  EXPECT_EQ(PdWebhookReceiver::Start(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.listen = "127.0.0.1:http";
  EXPECT_THAT(std::string(PdWebhookReceiver::Start(options).status().message()),
              HasSubstr("HOST:PORT"));
  Receiver busy;
  options.listen = "127.0.0.1:" + std::to_string(busy.get().port());
  auto in_use = PdWebhookReceiver::Start(options);
  EXPECT_EQ(in_use.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(in_use.status().message()), HasSubstr(options.listen));
  options.listen = "127.0.0.1:0";
  options.secret.clear();
  EXPECT_EQ(PdWebhookReceiver::Start(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PdWebhookReceiverTest, ThePortIsFreeAgainAfterDestruction) {
  int port = 0;
  {
    Receiver first;
    port = first.get().port();
  }
  Receiver second(kSecret, port);
  EXPECT_EQ(second.get().port(), port);
  EXPECT_EQ(second.PostSigned("W1")->status, 202);
}

// Deliveries made by the simulator's dispatcher, as PagerDuty would.
class PdWebhookFromSimTest : public pagerduty_sim::SimFixture {
 protected:
  // Subscribes `url` to incident events account-wide; returns the secret.
  std::string Subscribe(const std::string& url) {
    auto res = Call("POST", "/webhook_subscriptions", "account-full",
                    {{"webhook_subscription",
                      {{"type", "webhook_subscription"},
                       {"events", {"incident.triggered", "incident.acknowledged"}},
                       {"filter", {{"type", "account_reference"}}},
                       {"delivery_method", {{"type", "http_delivery_method"}, {"url", url}}}}}});
    EXPECT_TRUE(res);
    if (!res) return "";
    EXPECT_EQ(res->status, 200) << res->body;
    return pagerduty_sim::Body(res)["webhook_subscription"]["delivery_method"]["secret"];
  }

  // A port that was free a moment ago (subscriptions name their URL before
  // the receiver, which needs the subscription's secret, can start).
  static int FreePort() {
    Receiver probe("placeholder");
    return probe.get().port();
  }
};

TEST_F(PdWebhookFromSimTest, SignedDeliveriesWakeAndWrongSecretsDoNot) {
  const int port = FreePort();
  const std::string url =
      "http://127.0.0.1:" + std::to_string(port) + "/pagerduty/webhook";
  const std::string secret = Subscribe(url);
  ASSERT_FALSE(secret.empty());
  Receiver receiver(secret, port);
  const std::string id = NewIncident("pushed");
  EXPECT_GE(receiver.WaitForWakes(1), 1);
  ASSERT_EQ(Update(id, {{"status", "acknowledged"}})->status, 200);
  EXPECT_GE(receiver.WaitForWakes(2), 2);
  EXPECT_EQ(receiver.Count("rejected"), 0);
}

TEST_F(PdWebhookFromSimTest, ASubscriptionWithAnotherSecretIsRefused) {
  const int port = FreePort();
  Subscribe("http://127.0.0.1:" + std::to_string(port) + "/pagerduty/webhook");
  Receiver receiver("a secret the subscription does not use", port);
  NewIncident("forged?");
  for (int i = 0; i < 400 && receiver.Count("rejected") == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(receiver.Count("rejected"), 1);
  EXPECT_EQ(receiver.Count("accepted"), 0);
  EXPECT_EQ(receiver.StopAndCountWakes(), 0);
}

}  // namespace
}  // namespace ferry::pagerduty
