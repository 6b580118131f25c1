// Mapped entities per second on one core for a 20-field PagerDuty → Jira
// mapping, against a baseline measured in the same run: copying the same
// change into a WriteIntent, which every mapping also does.
//
//   bazel run -c opt //tools/bench/mapping:mapping_bench [-- SECONDS]
//
// The variants run in alternating slices (SECONDS in all, default 3), so
// load from other processes hits them alike; it prints each variant's
// median rate and the median of its per-round ratio to the baseline.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <utility>
#include <vector>

#include "google/protobuf/text_format.h"
#include "mapping/mapper.h"
#include "proto/config.pb.h"
#include "proto/entity.pb.h"
#include "proto/stages.pb.h"

namespace ferry::mapping {
namespace {

constexpr char kMapping[] = R"pb(
  name: "bench-20"
  fields { source: "Title" target: "summary" transform { template: "[#@Number@] @Title@" } }
  fields { source: "Description" target: "description" sync_when: SYNC_WHEN_CREATE }
  fields { source: "Status" target: "status"
           value_map { values { key: "triggered" value: "Open" }
                       values { key: "acknowledged" value: "In Progress" }
                       values { key: "resolved" value: "Done" } } }
  fields { source: "Priority" target: "priority"
           value_map { values { key: "P1" value: "Highest" } values { key: "P2" value: "High" }
                       default_value: "Medium" } }
  fields { source: "Urgency" target: "labels" transform { prefix: "pd-urgency-" } }
  fields { source: "Assignee" target: "assignee" }
  fields { source: "Number" target: "customfield_10051" }
  fields { source: "Conference Number" target: "customfield_10052" }
  fields { source: "Conference URL" target: "customfield_10053" }
  fields { source: "Incident Key" target: "customfield_10054" }
  fields { source: "Service" target: "customfield_10055" }
  fields { source: "Escalation Policy" target: "customfield_10056" }
  fields { source: "Created" target: "customfield_10057" }
  fields { source: "Updated" target: "customfield_10058" }
  fields { source: "URL" target: "customfield_10059" }
  fields { source: "Id" target: "customfield_10060" }
  fields { source: "Title" target: "customfield_10061" transform { suffix: " (PagerDuty)" } }
  fields { source: "Number" target: "environment" transform { prefix: "incident #" } }
  fields { source: "Assignee" target: "reporter" }
  fields { source: "Status" target: "customfield_10062" }
  comments { }
)pb";

constexpr char kChange[] = R"pb(
  change_id: "R3Q8Z5BRK0T1BQ" integration: "ops"
  entity {
    system: "pd-prod" project: "PIJ90N7" type: "incident" id: "PT4KHLK" display_key: "#1234"
    url: "https://acme.pagerduty.com/incidents/PT4KHLK"
    fields { key: "Title" value { text: "The server is on fire." } }
    fields { key: "Description" value { text: "CPU at 100% on web-03 since 14:02 UTC" } }
    fields { key: "Status" value { lookup { name: "acknowledged" } } }
    fields { key: "Priority" value { lookup { id: "P53ZZH5" name: "P1" } } }
    fields { key: "Urgency" value { lookup { name: "high" } } }
    fields { key: "Assignee" value { user { id: "PXPGF42" name: "Earline Greenholt"
                                            email: "earline@example.com" } } }
    fields { key: "Number" value { number: 1234 } }
    fields { key: "Conference Number" value { text: "+1 555-0100,,123456#" } }
    fields { key: "Conference URL" value { text: "https://zoom.us/j/1000000001" } }
    fields { key: "Incident Key" value { text: "baf7cf21b1da41b4b0221008339ff357" } }
    fields { key: "Service" value { lookup { id: "PIJ90N7" name: "Checkout" } } }
    fields { key: "Escalation Policy" value { lookup { id: "PT20YPA" name: "Web on-call" } } }
    fields { key: "Created" value { time { seconds: 1795966242 } } }
    fields { key: "Updated" value { time { seconds: 1795966300 } } }
    fields { key: "URL" value { text: "https://acme.pagerduty.com/incidents/PT4KHLK" } }
    fields { key: "Id" value { text: "PT4KHLK" } }
    comments { id: "PWL7QXS" kind: "note" author { name: "Earline Greenholt" }
               created_at { seconds: 1795966250 } body: "Firefighters are on the scene." }
    comments { id: "PWL7QXT" kind: "note" author { name: "Ray Adams" }
               created_at { seconds: 1795966280 } body: "Fire is out; checking data." }
  }
)pb";

using Step = std::function<size_t()>;

// Calls per second of `step` over a slice of about `seconds`.
double Rate(double seconds, const Step& step, size_t* sink) {
  using Clock = std::chrono::steady_clock;
  size_t calls = 0;
  const Clock::time_point start = Clock::now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 200; ++i) *sink += step();
    calls += 200;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return calls / elapsed;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Runs the steps in alternating slices for about `seconds` in all, so that
// load from other processes hits them alike, and returns for each step the
// median rate and the median of its per-round ratio to steps[0].
std::vector<std::pair<double, double>> Measure(double seconds, const std::vector<Step>& steps,
                                               size_t* sink) {
  constexpr int kRounds = 21;
  const double slice = seconds / kRounds / steps.size();
  std::vector<std::vector<double>> rates(steps.size()), ratios(steps.size());
  for (int round = 0; round < kRounds; ++round) {
    std::vector<double> round_rates;
    for (const Step& step : steps) round_rates.push_back(Rate(slice, step, sink));
    for (size_t i = 0; i < steps.size(); ++i) {
      rates[i].push_back(round_rates[i]);
      ratios[i].push_back(round_rates[i] / round_rates[0]);
    }
  }
  std::vector<std::pair<double, double>> out;
  for (size_t i = 0; i < steps.size(); ++i) out.emplace_back(Median(rates[i]), Median(ratios[i]));
  return out;
}

int Run(double seconds) {
  ferry::v1::MappingConfig config;
  ferry::v1::ChangeEvent change;
  if (!google::protobuf::TextFormat::ParseFromString(kMapping, &config) ||
      !google::protobuf::TextFormat::ParseFromString(kChange, &change)) {
    std::fprintf(stderr, "bench: bad built-in mapping or change\n");
    return 1;
  }
  MapperOptions options;
  options.from_schema = FindSystemSchema("pagerduty");
  options.to_schema = FindSystemSchema("jira");
  options.target_system = "jira-cloud";
  options.target_project = "OPS";
  options.target_type = "Bug";
  absl::StatusOr<Mapper> mapper = Mapper::Create(config, options);
  if (!mapper.ok()) {
    std::fprintf(stderr, "bench: %s\n", std::string(mapper.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<ferry::v1::WriteIntent> sample = mapper->Map(change);
  if (!sample.ok() || sample->fields_size() != 20) {
    std::fprintf(stderr, "bench: the mapping did not produce 20 field writes\n");
    return 1;
  }
  size_t sink = 0;
  ferry::v1::WriteIntent reused;
  const std::vector<std::pair<double, double>> results = Measure(
      seconds,
      {[&] {
         ferry::v1::WriteIntent intent;
         *intent.mutable_change() = change;
         return static_cast<size_t>(intent.change().entity().fields_size());
       },
       [&] { return static_cast<size_t>(mapper->Map(change)->fields_size()); },
       [&] {
         return mapper->MapInto(change, &reused).ok() ? static_cast<size_t>(reused.fields_size())
                                                      : 0;
       }},
      &sink);
  std::printf("baseline: copy the change into a new WriteIntent  %8.0f entities/s\n",
              results[0].first);
  std::printf("Map: 20 fields, 2 comments, new intent            %8.0f entities/s  ratio %.3f\n",
              results[1].first, results[1].second);
  std::printf("MapInto: the same into a reused intent            %8.0f entities/s  ratio %.3f\n",
              results[2].first, results[2].second);
  std::printf("(one thread, medians of 21 interleaved rounds; checksum %zu)\n", sink % 10);
  return 0;
}

}  // namespace
}  // namespace ferry::mapping

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  return ferry::mapping::Run(seconds > 0 ? seconds : 3.0);
}
