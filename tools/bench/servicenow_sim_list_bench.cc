// Benchmark (not a test): how fast a ServiceNow simulator holding 10,000
// incidents answers Table API list queries over a keep-alive connection.
//
//   bazel run -c opt //tools/bench:servicenow_sim_list_bench
//
// Prints a GET of one row by sys_id as the machine's baseline, then list
// queries (a poll by sys_updated_on, a dot-walk filter, a full ORDERBY
// sort) each as a ratio to that baseline.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "httplib.h"
#include "tools/servicenow_sim/servicenow_simulator.h"

namespace {

constexpr int kIncidents = 10000;
constexpr char kGroup[] = "287ebd7da9fe198100f92cc8d1d2154e";

using Clock = std::chrono::steady_clock;
using ferry::servicenow_sim::FormatDateTime;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void Seed(ferry::servicenow_sim::Store& store, const std::string& now) {
  auto check = [](const auto& result) {
    if (!result.ok()) {
      std::fprintf(stderr, "seed: %s\n", std::string(result.status().message()).c_str());
      std::exit(1);
    }
  };
  check(store.Seed("sys_user",
                   {{"user_name", "bench"}, {"user_password", "bench"},
                    {"roles", "itil"}},
                   now));
  check(store.Seed("sys_user_group", {{"sys_id", kGroup}, {"name", "Network"}},
                   now));
  check(store.Seed("sys_user_group", {{"name", "Database"}}, now));
  const absl::Time start = absl::Now() - absl::Hours(kIncidents);
  for (int i = 0; i < kIncidents; ++i) {
    const std::string at = FormatDateTime(start + absl::Hours(i));
    check(store.Seed(
        "incident",
        {{"number", absl::StrFormat("INC%07d", i)},
         {"short_description", absl::StrFormat("bench incident %d", i)},
         {"state", std::to_string(1 + i % 3)},
         {"impact", "2"},
         {"urgency", "2"},
         {"priority", "3"},
         {"assignment_group", i % 2 ? kGroup : ""},
         {"correlation_id", absl::StrFormat("PD%05d", i)},
         {"sys_created_on", at},
         {"sys_updated_on", at}},
        now));
  }
}

// Times `runs` GETs of `path`; returns the mean in ms (exits on a non-200).
double TimeGet(httplib::Client& client, const std::string& path, int runs,
               size_t* bytes = nullptr) {
  const httplib::Headers headers = {
      {"Authorization", "Basic " + absl::Base64Escape("bench:bench")},
      {"Accept", "application/json"}};
  const auto start = Clock::now();
  for (int i = 0; i < runs; ++i) {
    auto res = client.Get(path, headers);
    if (!res || res->status != 200) {
      std::fprintf(stderr, "GET %s failed: %d\n", path.c_str(),
                   res ? res->status : -1);
      std::exit(1);
    }
    if (bytes) *bytes = res->body.size();
  }
  return MillisSince(start) / runs;
}

}  // namespace

int main() {
  ferry::servicenow_sim::ServiceNowSimulator sim({});
  const auto seed_start = Clock::now();
  Seed(sim.store(), sim.Now());
  const double seed_ms = MillisSince(seed_start);
  auto port = sim.Start();
  if (!port.ok()) return 1;
  httplib::Client client("127.0.0.1", *port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);

  const std::string one_id = sim.store().Read([](const auto& tables) {
    auto rows = tables.Select(*tables.Schema("incident"),
                              ferry::servicenow_sim::EncodedQuery::Parse(""));
    return rows.front()->at("sys_id");
  });
  const std::string poll_from = FormatDateTime(absl::Now() - absl::Hours(100));
  size_t page_bytes = 0;
  const double baseline =
      TimeGet(client, "/api/now/table/incident/" + one_id, 200);
  const double poll = TimeGet(
      client,
      "/api/now/table/incident?sysparm_query=sys_updated_on>=" +
          absl::StrReplaceAll(poll_from, {{" ", "%20"}}) +
          "^ORDERBYsys_updated_on&sysparm_limit=100",
      20, &page_bytes);
  const double lookup = TimeGet(
      client,
      "/api/now/table/incident?sysparm_query=correlation_id=PD04242"
      "&sysparm_fields=sys_id,number",
      20);
  const double walk = TimeGet(
      client,
      "/api/now/table/incident?sysparm_query=assignment_group.name=Network"
      "^stateIN1,2^ORDERBYDESCsys_updated_on&sysparm_limit=100"
      "&sysparm_display_value=true",
      20);
  const double full_page = TimeGet(
      client, "/api/now/table/incident?sysparm_limit=1000", 5);

  std::printf("seed %d incidents: %.0f ms\n", kIncidents, seed_ms);
  std::printf("baseline GET incident by sys_id: %.3f ms\n", baseline);
  std::printf("poll sys_updated_on>=, ORDERBY, 100 of 10,000 (%zu bytes): "
              "%.2f ms = %.1fx baseline\n",
              page_bytes, poll, poll / baseline);
  std::printf("target lookup correlation_id=, 2 fields: %.2f ms = %.1fx\n",
              lookup, lookup / baseline);
  std::printf("dot-walk + IN + ORDERBYDESC + display values, 100: %.2f ms = "
              "%.1fx\n",
              walk, walk / baseline);
  std::printf("page of 1000 full rows: %.2f ms = %.1fx\n", full_page,
              full_page / baseline);
  sim.Stop();
  return 0;
}
