// Benchmark: keep-alive GETs per second of a 1 KB JSON body from a local
// cpp-httplib server, through ferry::http::HttpClient and, as the baseline
// measured in the same run, through one raw libcurl easy handle with no
// client logic. The client runs twice: without gzip (the same bytes on the
// wire as the baseline, so the difference is the client's own work) and
// with its default gzip (which makes the server compress every response).
// Rounds alternate so machine noise hits all alike; the report gives the
// median of each and its ratio to the baseline.
//
//   bazel run -c opt //tools/bench:http_client -- --requests=20000 --rounds=3
#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "connectors/http/http_client.h"
#include "connectors/http/testing/local_server.h"

ABSL_FLAG(int, requests, 20000, "GET requests per round and contender");
ABSL_FLAG(int, rounds, 3, "rounds; each runs the baseline, then the client");

namespace {

using ferry::http::testing::LocalServer;

// A 1,024-byte JSON document shaped like a PagerDuty incident list.
std::string OneKilobyteJson() {
  std::string json = R"({"incidents":[{"id":"PT4KHLK","title":")";
  const std::string tail = R"("}],"limit":25,"offset":0,"more":false})";
  json.append(1024 - json.size() - tail.size(), 'x');
  return json + tail;
}

size_t Discard(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->assign(data, size * count);
  return size * count;
}

// Requests per second of one raw easy handle reused for every GET.
double RawCurl(const std::string& url, int requests) {
  CURL* curl = curl_easy_init();
  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  const absl::Time start = absl::Now();
  for (int i = 0; i < requests; ++i) {
    if (curl_easy_perform(curl) != CURLE_OK) {
      std::fprintf(stderr, "raw curl request failed\n");
      std::exit(1);
    }
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  curl_easy_cleanup(curl);
  return requests / seconds;
}

// Requests per second of HttpClient::Send.
double Client(ferry::http::HttpClient& client, const std::string& url,
              int requests) {
  ferry::http::HttpRequest request;
  request.url = url;
  request.headers.Add("Accept", "application/json");
  const absl::Time start = absl::Now();
  for (int i = 0; i < requests; ++i) {
    const auto response = client.Send(request);
    if (!response.ok() || response->body.size() != 1024) {
      std::fprintf(stderr, "client request failed: %s\n",
                   response.status().ToString().c_str());
      std::exit(1);
    }
  }
  return requests / absl::ToDoubleSeconds(absl::Now() - start);
}

std::unique_ptr<ferry::http::HttpClient> MakeClient(bool accept_gzip) {
  ferry::http::HttpClientOptions options;
  options.system = "bench";
  options.authorization = "Token token=bench-token-not-secret";
  options.transport.accept_gzip = accept_gzip;
  auto client = ferry::http::HttpClient::Create(options);
  if (!client.ok()) {
    std::fprintf(stderr, "%s\n", client.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(client).value();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int requests = absl::GetFlag(FLAGS_requests);
  const int rounds = absl::GetFlag(FLAGS_rounds);

  const std::string json = OneKilobyteJson();
  LocalServer server;
  server.server().Get("/incidents", [&json](const httplib::Request&,
                                            httplib::Response& response) {
    response.set_content(json, "application/json");
  });
  server.Start();
  const std::string url = server.Url("/incidents");

  // Same bytes on the wire as the baseline: the cost of the client logic.
  auto plain = MakeClient(/*accept_gzip=*/false);
  // The default, which also has the server gzip every response.
  auto gzip = MakeClient(/*accept_gzip=*/true);

  std::vector<double> baseline;
  std::vector<double> client_plain;
  std::vector<double> client_gzip;
  for (int round = 0; round < rounds; ++round) {
    baseline.push_back(RawCurl(url, requests));
    client_plain.push_back(Client(*plain, url, requests));
    client_gzip.push_back(Client(*gzip, url, requests));
    std::printf(
        "round %d: raw curl %.0f, HttpClient %.0f, HttpClient+gzip %.0f "
        "req/s\n",
        round + 1, baseline.back(), client_plain.back(), client_gzip.back());
  }
  const double base = Median(baseline);
  const double ours = Median(client_plain);
  const double ours_gzip = Median(client_gzip);
  std::printf(
      "keep-alive GET, 1 KB JSON, one connection, %d requests x %d rounds\n"
      "  baseline (raw libcurl easy handle):  %6.0f req/s (median)\n"
      "  HttpClient, accept_gzip=false:       %6.0f req/s  ratio %.2f\n"
      "  HttpClient, defaults (gzip):         %6.0f req/s  ratio %.2f\n"
      "  server saw %d connections for %d requests\n",
      requests, rounds, base, ours, ours / base, ours_gzip, ours_gzip / base,
      server.connections(), server.requests());
  return 0;
}
