#include "http/http_client.h"

#include <atomic>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "http/credential_budgets.h"
#include "http/testing/fake_clock.h"
#include "http/testing/jira_dc_rate_limit.h"
#include "http/http_status.h"
#include "http/testing/local_server.h"
#include "gtest/gtest.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"

namespace ferry::http {
namespace {

using ::ferry::http::testing::LocalServer;

constexpr char kToken[] = "y_NxAHJ4rb3t9dZ8-secret";
constexpr char kAuthorization[] = "Token token=y_NxAHJ4rb3t9dZ8-secret";

// One scripted reply.
struct Reply {
  Reply(int status,
        std::vector<std::pair<std::string, std::string>> headers = {},
        std::string body = "{}")
      : status(status), headers(std::move(headers)), body(std::move(body)) {}

  int status;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Serves `replies` in order on one path, repeating the last one.
class Script {
 public:
  explicit Script(std::vector<Reply> replies) : replies_(std::move(replies)) {}

  void Serve(httplib::Response& response) {
    absl::MutexLock lock(&mu_);
    const Reply& reply = replies_[std::min(next_, replies_.size() - 1)];
    ++next_;
    response.status = reply.status;
    for (const auto& [name, value] : reply.headers) {
      response.set_header(name, value);
    }
    response.set_content(reply.body, "application/json");
  }

 private:
  absl::Mutex mu_;
  const std::vector<Reply> replies_;
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
};

// Records every attempt the client reports.
class RecordingObserver final : public HttpObserver {
 public:
  void OnAttempt(const HttpAttempt& attempt) override {
    absl::MutexLock lock(&mu_);
    // `system` views the client's options; keep a copy of it instead.
    attempts_.push_back(attempt);
    attempts_.back().system = absl::string_view();
    systems_.emplace_back(attempt.system);
  }
  std::vector<HttpAttempt> attempts() {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }
  std::vector<std::string> systems() {
    absl::MutexLock lock(&mu_);
    return systems_;
  }

 private:
  absl::Mutex mu_;
  std::vector<HttpAttempt> attempts_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> systems_ ABSL_GUARDED_BY(mu_);
};

class HttpClientTest : public ::testing::Test {
 protected:
  // Serves `replies` on /script and starts the server.
  void Serve(std::vector<Reply> replies) {
    script_ = std::make_unique<Script>(std::move(replies));
    server_.server().Get("/script", [this](const httplib::Request&,
                                           httplib::Response& response) {
      script_->Serve(response);
    });
    server_.server().Post("/script", [this](const httplib::Request&,
                                            httplib::Response& response) {
      script_->Serve(response);
    });
    server_.Start();
  }

  // Options with instant fake waits and the jitter draw fixed at 0.5, so
  // backoff waits are 0.5 s, 1 s, 2 s, 4 s ...
  HttpClientOptions Options() {
    HttpClientOptions options;
    options.system = "pagerduty";
    options.authorization = kAuthorization;
    options.secrets = {kToken};
    options.retry.max_attempts = 5;
    options.retry.initial_backoff = absl::Seconds(1);
    options.retry.max_backoff = absl::Seconds(30);
    options.retry.max_total_time = absl::Minutes(5);
    options.clock = &clock_;
    options.random = [] { return 0.5; };
    options.observer = &observer_;
    return options;
  }

  std::unique_ptr<HttpClient> Client(HttpClientOptions options) {
    auto client = HttpClient::Create(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status();
    return std::move(client).value();
  }

  HttpRequest Get(absl::string_view path = "/script") {
    HttpRequest request;
    request.url = server_.Url(path);
    return request;
  }

  HttpRequest Post() {
    HttpRequest request = Get();
    request.method = HttpMethod::kPost;
    request.body = R"({"incident":{"title":"disk full"}})";
    return request;
  }

  LocalServer server_;
  std::unique_ptr<Script> script_;
  FakeClock clock_{FakeClock::Mode::kInstant};
  RecordingObserver observer_;
};

TEST_F(HttpClientTest, KeepAliveReusesOneConnection) {
  Serve({{200, {}, R"({"ok":true})"}});
  auto client = Client(Options());
  for (int i = 0; i < 20; ++i) {
    const auto response = client->Send(Get());
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->body, R"({"ok":true})");
  }
  EXPECT_EQ(server_.requests(), 20);
  EXPECT_EQ(server_.connections(), 1);
}

TEST_F(HttpClientTest, ConcurrentSendsEachKeepTheirConnection) {
  Serve({{200}});
  auto client = Client(Options());
  constexpr int kThreads = 4;
  constexpr int kRequestsPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRequestsPerThread; ++i) {
        if (!client->Send(Get()).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server_.requests(), kThreads * kRequestsPerThread);
  // Pooled handles keep their connections: at most one per thread.
  EXPECT_LE(server_.connections(), kThreads);
}

TEST_F(HttpClientTest, SendsAuthorizationAndCallerHeadersAndReadsHeaders) {
  std::string seen_authorization;
  std::string seen_accept;
  server_.server().Get(
      "/h", [&](const httplib::Request& request, httplib::Response& response) {
        seen_authorization = request.get_header_value("Authorization");
        seen_accept = request.get_header_value("Accept");
        response.set_header("X-Request-Id", "abc");
        response.set_content("{}", "application/json");
      });
  server_.Start();
  HttpRequest request = Get("/h");
  request.headers.Add("Accept", "application/vnd.pagerduty+json;version=2");
  const auto response = Client(Options())->Send(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(seen_authorization, kAuthorization);
  EXPECT_EQ(seen_accept, "application/vnd.pagerduty+json;version=2");
  EXPECT_EQ(response->headers.Get("x-request-id"), "abc");
}

TEST_F(HttpClientTest, RetriesServerErrorsAndTimeoutStatusThenSucceeds) {
  Serve({{500}, {503}, {408}, {200, {}, R"({"incidents":[]})"}});
  const auto response = Client(Options())->Send(Get());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, R"({"incidents":[]})");
  EXPECT_EQ(clock_.sleeps(),
            (std::vector<absl::Duration>{absl::Milliseconds(500),
                                         absl::Seconds(1), absl::Seconds(2)}));
  const auto attempts = observer_.attempts();
  ASSERT_EQ(attempts.size(), 4u);
  EXPECT_EQ(attempts[0].status_code, 500);
  EXPECT_TRUE(attempts[0].will_retry);
  EXPECT_EQ(attempts[2].status_code, 408);
  EXPECT_EQ(attempts[3].status_code, 200);
  EXPECT_EQ(attempts[3].attempt, 4);
  EXPECT_FALSE(attempts[3].will_retry);
  EXPECT_EQ(observer_.systems()[3], "pagerduty");
}

TEST_F(HttpClientTest, GivesUpAfterMaxAttemptsWithUnavailable) {
  Serve({{503, {}, "upstream maintenance"}});
  HttpClientOptions options = Options();
  options.retry.max_attempts = 3;
  const auto response = Client(options)->Send(Get());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(response.status().message(),
            "pagerduty GET " + server_.Url("/script") +
                ": HTTP 503 after 3 attempts: upstream maintenance");
  EXPECT_EQ(server_.requests(), 3);
  EXPECT_EQ(clock_.sleeps().size(), 2u);
}

TEST_F(HttpClientTest, RetryAfterOnServiceUnavailableReplacesBackoff) {
  Serve({{503, {{"Retry-After", "7"}}}, {200}});
  ASSERT_TRUE(Client(Options())->Send(Get()).ok());
  EXPECT_EQ(clock_.sleeps(), std::vector<absl::Duration>{absl::Seconds(7)});
}

TEST_F(HttpClientTest, RateLimitWaitsWhatPagerDutyAsks) {
  Serve({{429,
          {{"ratelimit-limit", "960"},
           {"ratelimit-remaining", "0"},
           {"ratelimit-reset", "20"}},
          R"({"error":{"message":"Rate Limit Exceeded","code":2020}})"},
         {200}});
  ASSERT_TRUE(Client(Options())->Send(Get()).ok());
  EXPECT_EQ(clock_.sleeps(), std::vector<absl::Duration>{absl::Seconds(20)});
  const auto attempts = observer_.attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_TRUE(attempts[0].rate_limited);
  EXPECT_FALSE(attempts[1].rate_limited);
}

TEST_F(HttpClientTest, RateLimitHonoursRetryAfterSecondsAndHttpDate) {
  // The second 429 names an instant 30 s after the fake clock's time then
  // (start + 3 s): FakeClock starts at 2027-01-15T08:00:00Z.
  Serve({{429, {{"Retry-After", "3"}}},
         {429, {{"Retry-After", "Fri, 15 Jan 2027 08:00:33 GMT"}}},
         {200}});
  ASSERT_TRUE(Client(Options())->Send(Get()).ok());
  EXPECT_EQ(clock_.sleeps(),
            (std::vector<absl::Duration>{absl::Seconds(3), absl::Seconds(30)}));
}

TEST_F(HttpClientTest, RateLimitWithoutHeadersBacksOff) {
  Serve({{429}, {429}, {200}});
  ASSERT_TRUE(Client(Options())->Send(Get()).ok());
  EXPECT_EQ(clock_.sleeps(), (std::vector<absl::Duration>{
                                 absl::Milliseconds(500), absl::Seconds(1)}));
}

TEST_F(HttpClientTest, ZeroSecondResetStillBacksOff) {
  Serve({{429, {{"ratelimit-reset", "0"}}}, {200}});
  ASSERT_TRUE(Client(Options())->Send(Get()).ok());
  EXPECT_EQ(clock_.sleeps(),
            std::vector<absl::Duration>{absl::Milliseconds(500)});
}

TEST_F(HttpClientTest, RateLimitPausesTheWholeCredentialBudget) {
  Serve({{429, {{"ratelimit-reset", "20"}}}, {200}});
  HttpClientOptions options = Options();
  options.budget = std::make_shared<TokenBucket>(
      TokenBucketOptions{/*requests_per_second=*/16, /*burst=*/16}, clock_);
  ASSERT_TRUE(Client(options)->Send(Get()).ok());
  // The client waits the 20 s, then the budget (emptied by the pause) makes
  // the retry wait for one fresh token: 1/16 s.
  EXPECT_EQ(clock_.sleeps(), (std::vector<absl::Duration>{
                                 absl::Seconds(20), absl::Milliseconds(62.5)}));
}

TEST_F(HttpClientTest, BudgetSpendsTheRemainingThePagerDutyAnswersReport) {
  Serve({{200,
          {{"ratelimit-limit", "960"},
           {"ratelimit-remaining", "5"},
           {"ratelimit-reset", "60"}}}});
  HttpClientOptions options = Options();
  options.budget = std::make_shared<TokenBucket>(
      TokenBucketOptions{/*requests_per_second=*/1, /*burst=*/1}, clock_);
  auto client = Client(options);
  // One steady token, then the 5 the first answer reported, without waiting.
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(client->Send(Get()).ok());
  EXPECT_TRUE(clock_.sleeps().empty());
  ASSERT_TRUE(client->Send(Get()).ok());
  EXPECT_EQ(clock_.sleeps(), std::vector<absl::Duration>{absl::Seconds(60)});
}

TEST_F(HttpClientTest, BudgetPacesAtTheRefillJiraDataCenterReports) {
  // Jira DC's bucket: 100 tokens, 10 more every second, continuously.
  JiraDcRateLimit jira(clock_, /*capacity=*/100, /*fill_rate=*/10,
                       /*interval=*/absl::Seconds(1));
  server_.server().Get("/jira", [&jira](const httplib::Request&,
                                        httplib::Response& response) {
    JiraDcRateLimit::Answer answer = jira.Take();
    response.status = answer.allowed ? 200 : 429;
    for (const auto& [name, value] : answer.headers.fields()) {
      response.set_header(name, value);
    }
    response.set_content("{}", "application/json");
  });
  server_.Start();
  HttpClientOptions options = Options();
  options.system = "jira";
  // Ferry's default budget, 960 a minute, is faster than this server.
  options.budget = std::make_shared<TokenBucket>(
      TokenBucketOptions{/*requests_per_second=*/16, /*burst=*/16}, clock_);
  auto client = Client(options);
  const absl::Time start = clock_.Now();
  for (int i = 0; i < 300; ++i) {
    HttpRequest request = Get("/jira");
    request.priority = RequestPriority::kBackfill;
    ASSERT_TRUE(client->Send(request).ok());
  }
  // The bucket's 100 at once, then the other 200 at 10 a second, and not
  // one 429.
  EXPECT_EQ(jira.refused(), 0);
  EXPECT_GE(clock_.Now() - start, absl::Seconds(20));
  EXPECT_LT(clock_.Now() - start, absl::Seconds(20.1));
}

TEST_F(HttpClientTest, ClientsOfOneCredentialShareItsBudget) {
  Serve({{200}});
  CredentialBudgets budgets(clock_);
  HttpClientOptions live_options = Options();
  live_options.budget = *budgets.ForCredential("env:PD_TOKEN", {1, 1});
  HttpClientOptions backfill_options = Options();
  backfill_options.budget = *budgets.ForCredential("env:PD_TOKEN", {1, 1});
  auto integration_a = Client(live_options);
  auto integration_b = Client(backfill_options);
  HttpRequest backfill = Get();
  backfill.priority = RequestPriority::kBackfill;
  ASSERT_TRUE(integration_a->Send(Get()).ok());
  ASSERT_TRUE(integration_b->Send(backfill).ok());
  // One request a second for the token, whichever integration sends it.
  EXPECT_EQ(clock_.sleeps(), std::vector<absl::Duration>{absl::Seconds(1)});
}

TEST_F(HttpClientTest, RateLimitOutlastingTheRetriesIsResourceExhausted) {
  Serve({{429, {{"ratelimit-reset", "1"}}, "slow down"}});
  HttpClientOptions options = Options();
  options.retry.max_attempts = 2;
  const auto response = Client(options)->Send(Get());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(HttpStatusOf(response.status()), 429);
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(HttpClientTest, GivesUpAtOnceWhenTheWaitPassesTheTimeLimit) {
  Serve({{429, {{"ratelimit-reset", "600"}}}});
  HttpClientOptions options = Options();
  options.retry.max_total_time = absl::Minutes(1);
  const auto response = Client(options)->Send(Get());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(response.status().message(),
            "pagerduty GET " + server_.Url("/script") +
                " (gave up: the next wait of 10m would pass the retry time "
                "limit of 1m): HTTP 429: {}");
  EXPECT_EQ(server_.requests(), 1);
  EXPECT_TRUE(clock_.sleeps().empty());
}

TEST_F(HttpClientTest, BodiesAreSentAsJsonUnlessTheCallerSaysOtherwise) {
  std::vector<std::string> seen;
  server_.server().Post("/echo", [&](const httplib::Request& request,
                                     httplib::Response& response) {
    seen.push_back(request.get_header_value("Content-Type") + " " +
                   request.body);
    response.status = 201;
  });
  server_.Start();
  auto client = Client(Options());
  HttpRequest request = Post();
  request.url = server_.Url("/echo");
  ASSERT_TRUE(client->Send(request).ok());
  request.headers.Add("Content-Type", "text/plain");
  request.body = "note";
  ASSERT_TRUE(client->Send(request).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{
                      R"(application/json {"incident":{"title":"disk full"}})",
                      "text/plain note"}));
}

TEST_F(HttpClientTest, PostIsSentOnceUnlessMarkedIdempotent) {
  Serve({{503, {}, "try later"}});
  auto client = Client(Options());
  const auto once = client->Send(Post());
  EXPECT_EQ(once.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(server_.requests(), 1);

  HttpRequest marked = Post();
  marked.idempotent = true;
  EXPECT_EQ(client->Send(marked).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(server_.requests(), 1 + 5);
}

TEST_F(HttpClientTest, PostIsRetriedAfterRateLimit) {
  Serve({{429, {{"ratelimit-reset", "2"}}}, {201, {}, R"({"incident":{}})"}});
  const auto response = Client(Options())->Send(Post());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status_code, 201);
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(HttpClientTest, ForbiddenKeepsTheEndSystemsWordsAndIsNotRetried) {
  const std::string body =
      R"({"error":{"message":"Access Denied","code":2010,)"
      R"("errors":["Observer role cannot write to service PX1"]}})";
  Serve({{403, {}, body}});
  const auto response = Client(Options())->Send(Get());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(response.status().message(),
            "pagerduty GET " + server_.Url("/script") + ": HTTP 403: " + body);
  EXPECT_EQ(HttpErrorBodyOf(response.status()), body);
  EXPECT_EQ(server_.requests(), 1);
}

TEST_F(HttpClientTest, ClientErrorsMapToTheirCodesWithoutRetry) {
  Serve({{400}, {401}, {404}, {422}});
  auto client = Client(Options());
  EXPECT_EQ(client->Send(Get()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client->Send(Get()).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(client->Send(Get()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(client->Send(Get()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(server_.requests(), 4);
}

TEST_F(HttpClientTest, TokenNeverAppearsInErrorsOrLogs) {
  // The end system echoes the credential back, and the URL carries it too.
  Serve({{503, {}, std::string("bad header Authorization: ") + kAuthorization},
         {401, {}, std::string("unknown token ") + kToken}});
  std::ostringstream log_text;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text)));

  const auto response =
      Client(Options())->Send(Get(std::string("/script?api_key=") + kToken));
  spdlog::set_default_logger(previous);

  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnauthenticated);
  const std::string message(response.status().message());
  EXPECT_EQ(message.find(kToken), std::string::npos) << message;
  EXPECT_NE(message.find("api_key=[REDACTED]"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown token [REDACTED]"), std::string::npos)
      << message;
  EXPECT_EQ(HttpErrorBodyOf(response.status())->find(kToken),
            std::string::npos);
  EXPECT_NE(log_text.str().find("retry 1 of 4"), std::string::npos)
      << log_text.str();
  EXPECT_EQ(log_text.str().find(kToken), std::string::npos) << log_text.str();
}

TEST_F(HttpClientTest, NetworkFailureIsUnavailableAndRedacted) {
  server_.Start();
  const int closed_port = server_.port();
  server_.server().stop();
  HttpRequest request;
  request.url =
      "http://127.0.0.1:" + std::to_string(closed_port) + "/x?token=" + kToken;
  HttpClientOptions options = Options();
  options.retry.max_attempts = 2;
  const auto response = Client(options)->Send(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  const std::string message(response.status().message());
  EXPECT_NE(message.find("(after 2 attempts)"), std::string::npos) << message;
  EXPECT_EQ(message.find(kToken), std::string::npos) << message;
  EXPECT_EQ(observer_.attempts()[0].status_code, 0);
}

TEST_F(HttpClientTest, SlowResponseTimesOut) {
  absl::Notification release;
  server_.server().Get(
      "/slow", [&](const httplib::Request&, httplib::Response& response) {
        release.WaitForNotification();
        response.set_content("{}", "application/json");
      });
  server_.Start();
  HttpClientOptions options = Options();
  options.transport.request_timeout = absl::Milliseconds(200);
  options.retry.max_attempts = 2;
  const auto response = Client(options)->Send(Get("/slow"));
  release.Notify();
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded)
      << response.status();
  EXPECT_NE(response.status().message().find("(after 2 attempts)"),
            absl::string_view::npos);
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(HttpClientTest, UnreadableCaBundleIsRejectedAtCreation) {
  HttpClientOptions options = Options();
  options.transport.ca_bundle_path = "/nonexistent/ca.pem";
  const auto client = HttpClient::Create(options);
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client.status().message(),
            "pagerduty: CA bundle /nonexistent/ca.pem cannot be read; point "
            "ca_bundle_path at a readable PEM file or leave it empty to use "
            "the system store");
}

TEST_F(HttpClientTest, InvalidSettingsAreRejectedAtCreation) {
  HttpClientOptions no_system = Options();
  no_system.system = "";
  HttpClientOptions no_attempts = Options();
  no_attempts.retry.max_attempts = 0;
  HttpClientOptions no_timeout = Options();
  no_timeout.transport.request_timeout = absl::ZeroDuration();
  HttpClientOptions no_pool = Options();
  no_pool.transport.max_idle_handles = 0;
  for (const HttpClientOptions& options :
       {no_system, no_attempts, no_timeout, no_pool}) {
    EXPECT_EQ(HttpClient::Create(options).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(HttpClient::Create(no_pool).status().message(),
            "pagerduty: max_idle_handles is 0; keep at least 1 idle handle, "
            "or no connection is ever reused");
}

}  // namespace
}  // namespace ferry::http
