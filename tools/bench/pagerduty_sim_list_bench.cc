// Benchmark (not a test): how fast a PagerDutySim seeded with 10,000
// incidents answers GET /incidents pages over a keep-alive connection.
//
//   bazel run -c opt //tools/bench:pagerduty_sim_list_bench
//
// Prints the seeding time, a trivial request's latency as the machine's
// baseline, the first page, a filtered page, and the walk over all 100 pages
// of 100 (the most offset pagination can reach: offset + limit <= 10000).
#include <chrono>
#include <cstdio>
#include <string>

#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/pagerduty_sim.h"
#include "tools/pagerduty_sim/seed.h"

namespace {

constexpr int kIncidents = 10000;

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

nlohmann::json Seed(absl::Time now) {
  nlohmann::json incidents = nlohmann::json::array();
  const char* statuses[] = {"triggered", "acknowledged", "resolved"};
  for (int i = 0; i < kIncidents; ++i) {
    incidents.push_back(
        {{"title", "bench incident " + std::to_string(i)},
         {"service_id", i % 2 ? "PS1" : "PS2"},
         {"status", statuses[i % 3]},
         {"created_at", absl::FormatTime(absl::RFC3339_sec,
                                         now - absl::Minutes(kIncidents - i),
                                         absl::UTCTimeZone())}});
  }
  return {{"users", {{{"id", "PU1"}, {"name", "Bench"}, {"email", "bench@example.com"}}}},
          {"escalation_policies", {{{"id", "PE1"}, {"name", "EP"}, {"levels", {{"PU1"}}}}}},
          {"services", {{{"id", "PS1"}, {"name", "One"}, {"escalation_policy_id", "PE1"}},
                        {{"id", "PS2"}, {"name", "Two"}, {"escalation_policy_id", "PE1"}}}},
          {"tokens", {{{"token", "bench"}, {"account", true}}}},
          {"incidents", incidents}};
}

// Times `runs` GETs of `path`; returns the mean in ms (exits on a non-200).
double TimeGet(httplib::Client& client, const std::string& path, int runs,
               size_t* bytes = nullptr) {
  const httplib::Headers headers = {{"Authorization", "Token token=bench"}};
  const auto start = Clock::now();
  for (int i = 0; i < runs; ++i) {
    auto res = client.Get(path, headers);
    if (!res || res->status != 200) {
      std::fprintf(stderr, "GET %s failed: %d\n", path.c_str(), res ? res->status : -1);
      std::exit(1);
    }
    if (bytes) *bytes = res->body.size();
  }
  return MillisSince(start) / runs;
}

}  // namespace

int main() {
  const auto seed_start = Clock::now();
  auto state = ferry::pagerduty_sim::StateFromSeed(Seed(absl::Now()), absl::Now());
  if (!state.ok()) {
    std::fprintf(stderr, "%s\n", std::string(state.status().message()).c_str());
    return 1;
  }
  const double seed_ms = MillisSince(seed_start);
  ferry::simcore::SimServerOptions options;
  options.rate_limit.limit = 1000000;
  ferry::pagerduty_sim::PagerDutySim sim(options, *std::move(state));
  auto port = sim.Start();
  if (!port.ok()) return 1;
  httplib::Client client("127.0.0.1", *port);
  client.set_keep_alive(true);

  size_t page_bytes = 0;
  const double baseline = TimeGet(client, "/abilities", 200);
  const double first = TimeGet(client, "/incidents?date_range=all&limit=100", 20, &page_bytes);
  const double filtered =
      TimeGet(client, "/incidents?date_range=all&limit=100&statuses[]=triggered"
                      "&service_ids[]=PS1&sort_by=created_at:desc", 20);
  const double windowed = TimeGet(client, "/incidents?limit=100", 20);
  const double single = TimeGet(client, "/incidents?date_range=all&limit=1", 20);
  const auto walk_start = Clock::now();
  for (int offset = 0; offset + 100 <= kIncidents; offset += 100) {
    TimeGet(client, "/incidents?date_range=all&limit=100&offset=" + std::to_string(offset), 1);
  }
  const double walk = MillisSince(walk_start);

  std::printf("seed %d incidents: %.0f ms\n", kIncidents, seed_ms);
  std::printf("baseline GET /abilities: %.3f ms\n", baseline);
  std::printf("GET /incidents page of 1 (filter+sort of 10,000): %.2f ms\n", single);
  std::printf("GET /incidents first page of 100 (%zu bytes): %.2f ms\n", page_bytes, first);
  std::printf("GET /incidents filtered+sorted page of 100: %.2f ms\n", filtered);
  std::printf("GET /incidents default 1-month window page of 100: %.2f ms\n", windowed);
  std::printf("walk all 100 pages of 100 (10,000 incidents): %.0f ms\n", walk);
  sim.Stop();
  return 0;
}
