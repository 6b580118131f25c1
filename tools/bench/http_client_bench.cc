// Benchmark: keep-alive GETs per second of a 1 KB JSON body from a local
// cpp-httplib server, through ferry::http::HttpClient and, as the baseline
// measured in the same run, through raw libcurl easy handles (one per
// thread, reused for every GET) with no client logic.
//
// The client runs twice: with accept_gzip=false (the baseline's bytes on
// the wire, so any difference is the client's own work) and with its
// defaults (which make the server gzip every response). Rounds alternate
// the three so machine noise hits all alike; the report gives medians and
// ratios to the baseline. Beside wall-clock requests per second it reports
// the CPU time the requesting threads spent per request, which a busy
// shared machine disturbs much less.
//
//   bazel run -c opt //tools/bench:http_client -- --requests=20000 --rounds=5
//   bazel run -c opt //tools/bench:http_client -- --threads=4
#include <curl/curl.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "http/http_client.h"
#include "http/testing/local_server.h"

ABSL_FLAG(int, requests, 20000, "GET requests per thread, round and contender");
ABSL_FLAG(int, threads, 1, "concurrent connections (one thread each)");
ABSL_FLAG(int, rounds, 5, "rounds; each runs all three contenders");

namespace {

using ferry::http::testing::LocalServer;

struct Measurement {
  double requests_per_second = 0;
  // CPU time of the requesting threads (not the server's) per request.
  double client_cpu_us_per_request = 0;
};

// A 1,024-byte JSON document shaped like a PagerDuty incident list.
std::string OneKilobyteJson() {
  std::string json = R"({"incidents":[{"id":"PT4KHLK","title":")";
  const std::string tail = R"("}],"limit":25,"offset":0,"more":false})";
  json.append(1024 - json.size() - tail.size(), 'x');
  return json + tail;
}

absl::Duration ThreadCpuTime() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return absl::DurationFromTimespec(now);
}

// Runs `work` (which sends `requests` GETs) on `threads` threads at once.
template <typename Work>
Measurement Measure(int threads, int requests, Work work) {
  absl::Mutex mu;
  absl::Duration cpu;
  std::vector<std::thread> workers;
  const absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      const absl::Duration cpu_start = ThreadCpuTime();
      work();
      const absl::Duration used = ThreadCpuTime() - cpu_start;
      absl::MutexLock lock(&mu);
      cpu += used;
    });
  }
  for (std::thread& worker : workers) worker.join();
  const double total = static_cast<double>(threads) * requests;
  return {total / absl::ToDoubleSeconds(absl::Now() - start),
          absl::ToDoubleMicroseconds(cpu) / total};
}

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "request failed: %s\n", what.c_str());
  std::exit(1);
}

Measurement RawCurl(const std::string& url, int threads, int requests) {
  return Measure(threads, requests, [&url, requests] {
    CURL* curl = curl_easy_init();
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    for (int i = 0; i < requests; ++i) {
      body.clear();
      const CURLcode code = curl_easy_perform(curl);
      if (code != CURLE_OK || body.size() != 1024) {
        Fail(curl_easy_strerror(code));
      }
    }
    curl_easy_cleanup(curl);
  });
}

// A fresh client per call, shared by all threads as a connector's readers
// and writers share theirs; destroyed (closing its connections) at the end.
Measurement Client(bool accept_gzip, const std::string& url, int threads,
                   int requests) {
  ferry::http::HttpClientOptions options;
  options.system = "bench";
  options.authorization = "Token token=bench-token-not-secret";
  options.transport.accept_gzip = accept_gzip;
  auto client = ferry::http::HttpClient::Create(options);
  if (!client.ok()) Fail(client.status().ToString());
  ferry::http::HttpRequest request;
  request.url = url;
  request.headers.Add("Accept", "application/json");
  return Measure(threads, requests, [&client, &request, requests] {
    for (int i = 0; i < requests; ++i) {
      const auto response = (*client)->Send(request);
      if (!response.ok()) Fail(response.status().ToString());
      if (response->body.size() != 1024) Fail("short body");
    }
  });
}

Measurement Median(std::vector<Measurement> runs) {
  Measurement median;
  std::vector<double> values;
  for (const Measurement& run : runs) values.push_back(run.requests_per_second);
  std::sort(values.begin(), values.end());
  median.requests_per_second = values[values.size() / 2];
  values.clear();
  for (const Measurement& run : runs) {
    values.push_back(run.client_cpu_us_per_request);
  }
  std::sort(values.begin(), values.end());
  median.client_cpu_us_per_request = values[values.size() / 2];
  return median;
}

void PrintRow(const char* name, const Measurement& m, const Measurement& base) {
  std::printf("  %-38s %7.0f req/s (x%.2f)  %6.1f us CPU/req (x%.2f)\n", name,
              m.requests_per_second,
              m.requests_per_second / base.requests_per_second,
              m.client_cpu_us_per_request,
              m.client_cpu_us_per_request / base.client_cpu_us_per_request);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int requests = absl::GetFlag(FLAGS_requests);
  const int rounds = absl::GetFlag(FLAGS_rounds);
  const int threads = absl::GetFlag(FLAGS_threads);

  const std::string json = OneKilobyteJson();
  LocalServer server;
  server.server().Get("/incidents", [&json](const httplib::Request&,
                                            httplib::Response& response) {
    response.set_content(json, "application/json");
  });
  server.Start();
  const std::string url = server.Url("/incidents");

  std::vector<Measurement> raw, plain, gzip;
  for (int round = 0; round < rounds; ++round) {
    raw.push_back(RawCurl(url, threads, requests));
    plain.push_back(Client(/*accept_gzip=*/false, url, threads, requests));
    gzip.push_back(Client(/*accept_gzip=*/true, url, threads, requests));
    std::printf(
        "round %d: raw curl %.0f, HttpClient %.0f, HttpClient+gzip %.0f "
        "req/s\n",
        round + 1, raw.back().requests_per_second,
        plain.back().requests_per_second, gzip.back().requests_per_second);
  }
  const Measurement base = Median(raw);
  std::printf(
      "keep-alive GET of 1 KB JSON, %d connection(s), %d requests each, "
      "median of %d rounds:\n",
      threads, requests, rounds);
  PrintRow("baseline: raw libcurl easy handle", base, base);
  PrintRow("HttpClient, accept_gzip=false", Median(plain), base);
  PrintRow("HttpClient, defaults (server gzips)", Median(gzip), base);
  std::printf("  server saw %d connections for %d requests\n",
              server.connections(), server.requests());
  return 0;
}
