// Benchmark (not a test): how fast a ServiceNow simulator holding 10,000
// and then 100,000 incidents answers Table API list queries over a
// keep-alive connection, with its ordered indexes and without them.
//
//   bazel run -c opt //tools/bench:servicenow_sim_list_bench
//
// For each size: a GET of one row by sys_id as the machine's baseline,
// then list queries (the connector's poll pages as sn_reader_query builds
// them, a counted poll, a lookup, a dot-walk filter, a page of full rows),
// each timed with the store scanning every query (Store::
// SetIndexedQueries(false)) and reading through the indexes in turns, in
// the same run. Prints both as ratios to the baseline, and scan / indexed.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "connectors/servicenow/sn_reader_query.h"
#include "httplib.h"
#include "tools/servicenow_sim/servicenow_simulator.h"

namespace {

constexpr char kGroup[] = "287ebd7da9fe198100f92cc8d1d2154e";
// Rows a poll page asks for: the connector's default page_size.
constexpr int kPageSize = 100;

using Clock = std::chrono::steady_clock;
using ferry::servicenow_sim::FormatDateTime;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The oldest incidents share one second, as after a bulk update.
constexpr int kBulk = 1000;

// `incidents` incidents, one an hour up to an hour ago, but for the first
// kBulk, all in the first hour's second.
void Seed(ferry::servicenow_sim::Store& store, const std::string& now,
          int incidents, absl::Time end) {
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
  const absl::Time start = end - absl::Hours(incidents);
  for (int i = 0; i < incidents; ++i) {
    const std::string at =
        FormatDateTime(start + absl::Hours(std::max(i, kBulk - 1)));
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

// One GET of `path`; returns its time in ms (exits on a non-200).
double TimeGet(httplib::Client& client, const std::string& path) {
  const httplib::Headers headers = {
      {"Authorization", "Basic " + absl::Base64Escape("bench:bench")},
      {"Accept", "application/json"}};
  const auto start = Clock::now();
  auto res = client.Get(path, headers);
  if (!res || res->status != 200) {
    std::fprintf(stderr, "GET %s failed: %d\n", path.c_str(),
                 res ? res->status : -1);
    std::exit(1);
  }
  return MillisSince(start);
}

struct ListQuery {
  std::string name;
  std::string params;  // after "?"
  int runs;
};

// `sysparm_query=<query>` with the query's characters escaped for a URL.
std::string QueryParam(const std::string& query) {
  std::string out = "sysparm_query=";
  for (unsigned char c : query) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '^' ||
        c == '>' || c == '<' || c == '=') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, absl::StrFormat("%%%02X", c));
    }
  }
  return out;
}

// `scale_runs` divides each query's runs (the scan of a larger table is
// slower).
void RunSize(int incidents, int scale_runs) {
  ferry::servicenow_sim::ServiceNowSimulator sim({});
  const absl::Time end = absl::Now() - absl::Hours(1);
  const auto seed_start = Clock::now();
  Seed(sim.store(), sim.Now(), incidents, end);
  const double seed_ms = MillisSince(seed_start);
  auto port = sim.Start();
  if (!port.ok()) std::exit(1);
  httplib::Client client("127.0.0.1", *port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);

  const std::string one_id = sim.store().Read([](const auto& tables) {
    auto rows = tables.Select(*tables.Schema("incident"),
                              ferry::servicenow_sim::EncodedQuery::Parse(""));
    return rows.front()->at("sys_id");
  });
  // A poll that has kPageSize incidents to read; the next page starts
  // half-way through them.
  const absl::Time poll_from = end - absl::Hours(kPageSize - 1);
  // The next page of a poll half-way through the bulk second.
  const absl::Time bulk_second = end - absl::Hours(incidents - kBulk + 1);
  namespace sn = ferry::servicenow;
  const std::string bulk_middle = sim.store().Read([&](const auto& tables) {
    auto selection = tables.Select(
        *tables.Schema("incident"),
        ferry::servicenow_sim::EncodedQuery::Parse(
            sn::ChangesFromQuery(bulk_second, "")),
        {kBulk / 2, 1, false});
    return selection.rows.front()->at("sys_id");
  });
  const std::string page = absl::StrCat("&sysparm_limit=", kPageSize);
  const std::string no_count = "&sysparm_no_count=true";
  const std::vector<ListQuery> queries = {
      {"poll, first page (connector's query, no count)",
       QueryParam(sn::ChangesFromQuery(poll_from, "")) + page + no_count, 40},
      {"poll, next page (connector's ^NQ query, no count)",
       QueryParam(sn::ChangesAfterQuery(poll_from + absl::Hours(kPageSize / 2),
                                        one_id, "")) +
           page + no_count,
       40},
      {"poll, next page half-way through a second of 1,000",
       QueryParam(sn::ChangesAfterQuery(bulk_second, bulk_middle, "")) + page +
           no_count,
       40},
      {"poll, first page, scoped to a group",
       QueryParam(sn::ChangesFromQuery(poll_from, "assignment_group=" +
                                                      std::string(kGroup))) +
           page + no_count,
       40},
      {"poll, first page, counted",
       QueryParam(sn::ChangesFromQuery(poll_from, "")) + page, 40},
      {"target lookup correlation_id=, 2 fields",
       "sysparm_query=correlation_id=PD04242&sysparm_fields=sys_id,number", 10},
      {"dot-walk + IN + ORDERBYDESC + display values",
       QueryParam("assignment_group.name=Network^stateIN1,2"
                  "^ORDERBYDESCsys_updated_on") +
           page + "&sysparm_display_value=true",
       6},
      {"page of 1000 full rows", "sysparm_limit=1000", 6},
  };

  double baseline = 0;
  for (int i = 0; i < 200; ++i) {
    baseline += TimeGet(client, "/api/now/table/incident/" + one_id) / 200;
  }
  std::printf("\n%d incidents (seeded in %.0f ms); baseline GET incident by "
              "sys_id: %.3f ms\n",
              incidents, seed_ms, baseline);
  std::printf("%-52s %19s %19s %9s\n", "query (page of 100 unless said)",
              "scan (x baseline)", "indexed (x base.)", "scan/idx");
  for (const ListQuery& query : queries) {
    const std::string path = "/api/now/table/incident?" + query.params;
    // Scan and index take turns, so that the machine's load weighs on
    // both alike.
    const int runs = std::max(1, query.runs / scale_runs);
    double scan = 0;
    double indexed = 0;
    for (int i = 0; i < runs; ++i) {
      sim.store().SetIndexedQueries(false);
      scan += TimeGet(client, path) / runs;
      sim.store().SetIndexedQueries(true);
      indexed += TimeGet(client, path) / runs;
    }
    std::printf("%-52s %8.2f ms (%5.0fx) %8.2f ms (%5.1fx) %8.1fx\n",
                query.name.c_str(), scan, scan / baseline, indexed,
                indexed / baseline, scan / indexed);
  }
  sim.Stop();
}

}  // namespace

int main() {
  RunSize(10000, 1);
  RunSize(100000, 2);
  return 0;
}
