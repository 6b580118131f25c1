// End-to-end benchmark (issue 9): PagerDuty incidents synced into Jira by
// the embedded pipeline, through both simulators (in this process, over
// real HTTP on loopback), with every simulator request delayed by
// --latency_ms (simcore's latency fault). For each latency it reports:
//
//  - throughput: --incidents incidents created before the pipeline starts
//    (start_time in the past, so they are backfilled), synced per second,
//    beside a plain HTTP client that makes only the one Jira create each
//    incident needs, one after another (the same-run baseline);
//  - API calls per synced incident on each simulator, by request shape.
//    The minimum is one Jira create per incident (the origin property,
//    priority and description ride in the create; Open, the mapped status
//    of a triggered incident, is the workflow's first) and one remote link
//    back to the incident, and,
//    on PagerDuty, one /log_entries page of 100 per 100 log entries plus
//    one /incidents page per 100 new incidents: about 2.0 in all;
//  - sync latency (fresh simulators and state): --samples incidents
//    created one at a time at random moments while the pipeline runs with
//    --poll_interval, each timed from its creation until Jira shows it
//    (median and p99); optionally after a burst of --latency_backlog.
//
// With --changes_round it reports, for each kind of change made as a person
// one at a time (a new incident, an acknowledgement, a PagerDuty note, a
// Jira comment), the calls Ferry makes on each side beyond its idle polls,
// beside the fewest the change needs (Changes() derives each).
//
// The config is realistic (kConfig): status maps both ways, a priority
// map, notes <-> comments and the remote link back to the incident.
//
// With --services=1,10,50 it first reports, for each count, the PagerDuty
// calls per idle poll with those services in one integration and in one
// integration each (--idle_polls polls at --poll_interval), beside the
// minimum: one /log_entries call per poll for the account.
//
// With --push_samples it reports the PagerDuty calls per webhook in push
// mode, beside the minimum of one log read.
//
// With --jira_rate_limit=LIMIT/SECONDS, Jira Data Center's token bucket is
// on for Ferry's user (Basic auth) in every round, and the throughput round
// prints the backfill's time beside its bound at that bucket: the calls
// beyond LIMIT at LIMIT/SECONDS a second, e.g.
//
//   bazel run -c opt //tools/bench/e2e -- --latency_ms=0 --incidents=300
//     --samples=2 --jira_rate_limit=100/10
//
// Every figure of README's Performance section that comes from here, in
// one run of about 7 minutes on two shared cores:
//
//   bazel run -c opt //tools/bench/e2e -- --services=1,10,50 --idle_polls=5
//     --poll_interval=5s --changes_round --changes=5 --latency_services=9
//     --latency_ms=0 --incidents=500 --samples=20 --push_samples=10
//
// (one command line).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "http/http_observer.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "engine/runtime/pipeline.h"
#include "connectors/pagerduty/testing/push_pipeline.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/bench/e2e/bench_story.h"
#include "tools/bench/e2e/request_counter.h"
#include "tools/jira_sim/fixture.h"
#include "tools/jira_sim/jira_simulator.h"
#include "tools/pagerduty_sim/pagerduty_sim.h"
#include "tools/pagerduty_sim/seed.h"

ABSL_FLAG(std::vector<std::string>, latency_ms, std::vector<std::string>({"0", "50"}),
          "Latency added to every simulator request, one run per value.");
ABSL_FLAG(int, incidents, 200, "Incidents backfilled in the throughput round.");
ABSL_FLAG(int, samples, 100, "Incidents timed one by one for sync latency.");
ABSL_FLAG(absl::Duration, poll_interval, absl::Seconds(1),
          "The integration's poll interval.");
ABSL_FLAG(std::vector<std::string>, services, std::vector<std::string>(),
          "Service counts for the idle-poll round (none: no such round).");
ABSL_FLAG(int, idle_polls, 10, "Poll intervals the idle-poll round counts over.");
ABSL_FLAG(int, latency_services, 0,
          "More services (idle) read by the throughput and latency rounds' integration.");
ABSL_FLAG(bool, changes_round, false,
          "Measure API calls per change of each kind (new incident, acknowledge, note, "
          "Jira comment) beside their minimums.");
ABSL_FLAG(int, changes, 10, "Changes of each kind in the changes round.");
ABSL_FLAG(std::string, conflict_policy, "",
          "The integrations' conflict_policy (SOURCE_WINS, NEWEST_WINS, ...); empty: the "
          "default.");
ABSL_FLAG(int, push_samples, 0,
          "Incidents created one at a time in push mode, to count PagerDuty calls per "
          "webhook (0: no such round).");
ABSL_FLAG(int, latency_backlog, 0,
          "Incidents synced just before the latency round: they stay in the "
          "PagerDuty reader's 2-minute overlap, which every poll reads again.");
ABSL_FLAG(int, pd_requests_per_minute, 0,
          "PagerDuty's rate limit per token in the simulator, and ferryd's budget for "
          "the token, in every round (0: lifted on both sides).");
ABSL_FLAG(std::string, jira_rate_limit, "",
          "Jira Data Center's token bucket for Ferry's user in the simulator, as "
          "LIMIT/SECONDS: LIMIT tokens, refilled by LIMIT every SECONDS. Ferry then "
          "authenticates with Basic (Data Center limits Basic calls, not personal access "
          "tokens). Empty: a personal access token, not limited.");
ABSL_FLAG(int, backfill_notes, 0,
          "Backfilled incidents that get one note each (added as a person just before "
          "the throughput round starts, so read by its backfill).");

namespace ferry::bench {
namespace {

constexpr char kSeed[] = "tools/pagerduty_sim/testdata/seed.json";
constexpr char kFixture[] = "tools/jira_sim/testdata/fixture.json";
constexpr char kPdToken[] = "account-full";
constexpr char kJiraPat[] = "ferry-pat";
// The fixture's Ferry user and password, for Basic auth (--jira_rate_limit).
constexpr char kJiraUser[] = "ferry";
constexpr char kJiraPassword[] = "ferry-password";

// The config the pipeline runs, as realistic as the shipped examples:
// incidents of PSVCWEB become OPS Incidents (a workflow of its own),
// both ways, with status maps each way, a priority map, notes <-> comments
// and the default remote link back to the incident. Rate budgets are lifted on both sides (unless
// --pd_requests_per_minute sets PagerDuty's) so that the figures show Ferry
// and the latency, not the vendors' request quotas.
constexpr char kConfig[] = R"(
systems:
  - name: pagerduty
    kind: pagerduty
    url: http://127.0.0.1:PD_PORT
    token: {env: FERRY_BENCH_PD_TOKEN}
    user_email: ferry-bot@example.com
    requests_per_minute: PD_RPM
  - name: jira
    kind: jira
    url: http://127.0.0.1:JIRA_PORT
    token: {env: FERRY_BENCH_JIRA_TOKEN}
JIRA_USERNAME    requests_per_minute: 10000000
    options: {deployment: datacenter}
mappings:
  - name: incident-to-issue
    source_type: incident
    target_type: Incident
    fields:
      - {source: Title, target: summary, direction: BOTH}
      - {source: Description, target: description, sync_when: CREATE}
      - source: Status
        target: status
        value_map:
          values: {triggered: Open, acknowledged: Acknowledged, resolved: Done}
      - source: Status
        target: status
        direction: REVERSE
        value_map:
          reverse_values:
            Open: acknowledged
            Acknowledged: acknowledged
            In Progress: acknowledged
            Done: resolved
      - source: Priority
        target: priority
        direction: BOTH
        value_map:
          values: {P1: Highest, P2: High, P3: Medium, P4: Low, P5: Lowest}
          default_value: Medium
    comments: {direction: BOTH}
integrations:
)";

// One integration of kConfig, reading the PagerDuty services `projects`
// (a YAML list).
constexpr char kIntegration[] = R"(  - name: NAME
    source: {system: pagerduty, projects: PROJECTS}
    target: {system: jira, projects: [OPS]}
    mapping: incident-to-issue
    direction: BOTH
    poll_interval: POLL_INTERVAL
    start_time: START_TIME
)";

// Ferry's own view of its HTTP calls: time spent waiting on each system,
// to tell time in the end systems from time in Ferry.
class CallTimer final : public http::HttpObserver {
 public:
  void OnAttempt(const http::HttpAttempt& attempt) override {
    absl::MutexLock lock(&mu_);
    Totals& totals = by_system_[std::string(attempt.system)];
    ++totals.calls;
    totals.time += attempt.duration;
  }
  // Prints the totals against `wall_seconds` of elapsed time, then starts
  // again from zero.
  void Print(double wall_seconds) {
    absl::MutexLock lock(&mu_);
    for (const auto& [system, totals] : by_system_) {
      std::printf("    Ferry waited on %s %.2f s of %.2f s (%lld calls, %.2f ms each)\n",
                  system.c_str(), absl::ToDoubleSeconds(totals.time), wall_seconds,
                  static_cast<long long>(totals.calls),
                  absl::ToDoubleMilliseconds(totals.time) / std::max<int64_t>(totals.calls, 1));
    }
    by_system_.clear();
  }

 private:
  struct Totals {
    int64_t calls = 0;
    absl::Duration time;
  };
  absl::Mutex mu_;
  std::map<std::string, Totals> by_system_ ABSL_GUARDED_BY(mu_);
};

// Both simulators, each with its request counter and the latency fault.
struct World {
  RequestCounter pd_requests;
  RequestCounter jira_requests;
  CallTimer calls;
  std::unique_ptr<pagerduty_sim::PagerDutySim> pd;
  std::unique_ptr<jira_sim::JiraSimulator> jira;
  std::unique_ptr<httplib::Client> pd_admin;
  // The seeded incidents' ids by title.
  std::map<std::string, std::string> incident_ids;
};

// PagerDuty's requests a minute in the simulator and in ferryd's config.
int PagerDutyRequestsPerMinute() {
  const int limit = absl::GetFlag(FLAGS_pd_requests_per_minute);
  return limit > 0 ? limit : 10000000;
}

void Die(const std::string& message) {
  std::fprintf(stderr, "e2e bench: %s\n", message.c_str());
  std::exit(1);
}

// Jira Data Center's bucket for Ferry's user (--jira_rate_limit), if any.
struct JiraBucket {
  int limit = 0;
  absl::Duration window;
  double per_second() const { return limit / absl::ToDoubleSeconds(window); }
};

std::optional<JiraBucket> JiraRateLimit() {
  const std::string flag = absl::GetFlag(FLAGS_jira_rate_limit);
  if (flag.empty()) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(flag, '/');
  JiraBucket bucket;
  double seconds = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &bucket.limit) || bucket.limit < 1 ||
      !absl::SimpleAtod(parts[1], &seconds) || !(seconds > 0)) {
    Die(absl::StrCat("--jira_rate_limit=", flag, ": give LIMIT/SECONDS, e.g. 100/10"));
  }
  bucket.window = absl::Seconds(seconds);
  return bucket;
}

// The id of the idle-poll round's service `i`.
std::string BenchService(int i) { return absl::StrFormat("PBENCH%03d", i); }

// The simulators, with `services` more PagerDuty services (BenchService)
// and `incidents` more (seed.h format).
std::unique_ptr<World> StartWorld(int latency_ms, int services = 0,
                                  const nlohmann::json& incidents = nlohmann::json::array()) {
  auto world = std::make_unique<World>();
  simcore::SimServerOptions options;
  options.rate_limit.limit = 10000000;
  simcore::SimServerOptions pd_options = options;
  pd_options.rate_limit.limit = PagerDutyRequestsPerMinute();
  std::ifstream seed_file(kSeed);
  auto seed = nlohmann::json::parse(seed_file, nullptr, false);
  for (int i = 0; i < services; ++i) {
    seed["services"].push_back({{"id", BenchService(i)},
                                {"name", BenchService(i)},
                                {"escalation_policy_id", "PEPWEB1"},
                                {"team_ids", {"PTEAMWB"}}});
  }
  for (const auto& incident : incidents) seed["incidents"].push_back(incident);
  auto pd_state = pagerduty_sim::StateFromSeed(seed, absl::Now());
  if (!pd_state.ok()) Die(absl::StrCat(kSeed, ": ", pd_state.status().ToString()));
  for (const auto& incident : pd_state->incidents) world->incident_ids[incident.title] = incident.id;
  world->pd = std::make_unique<pagerduty_sim::PagerDutySim>(pd_options, *std::move(pd_state));
  auto jira_state = jira_sim::StateFromFixtureFile(kFixture);
  if (!jira_state.ok()) Die(absl::StrCat(kFixture, ": ", jira_state.status().ToString()));
  world->jira = std::make_unique<jira_sim::JiraSimulator>(
      jira_sim::Dialect::kDataCenter, *std::move(jira_state), options);
  if (const std::optional<JiraBucket> bucket = JiraRateLimit()) {
    world->jira->server().rate_limiter().SetLimits({bucket->limit, bucket->window});
  }
  world->pd_requests.Attach(world->pd->server());
  world->jira_requests.Attach(world->jira->server());
  if (!world->pd->Start().ok() || !world->jira->Start().ok()) Die("simulators did not start");
  if (latency_ms > 0) {
    for (simcore::SimServer* server : {&world->pd->server(), &world->jira->server()}) {
      simcore::FaultRule rule;
      rule.kind = simcore::FaultKind::kLatency;
      rule.latency = absl::Milliseconds(latency_ms);
      server->faults().Add(rule);
    }
  }
  world->pd_admin = std::make_unique<httplib::Client>("127.0.0.1", world->pd->port());
  world->pd_admin->set_tcp_nodelay(true);
  return world;
}

// Performs `method` `path` with `body` on PagerDuty as a person (the web
// UI: not counted, not delayed) and returns the answer.
nlohmann::json ActOnPagerDuty(World& world, const std::string& method, const std::string& path,
                              const nlohmann::json& body = nullptr) {
  nlohmann::json act = {{"as", "ada@example.com"}, {"method", method}, {"path", path}};
  if (!body.is_null()) act["body"] = body;
  auto res = world.pd_admin->Post("/admin/act", act.dump(), "application/json");
  if (!res || res->status / 100 != 2) {
    Die(absl::StrCat(method, " ", path, " as a person failed: ", res ? res->body : "no answer"));
  }
  return nlohmann::json::parse(res->body, nullptr, false);
}

// Creates an incident on PSVCWEB as a person (not counted, not delayed);
// returns its id.
std::string CreateIncident(World& world, const std::string& title) {
  const nlohmann::json created = ActOnPagerDuty(
      world, "POST", "/incidents",
      {{"incident",
        {{"type", "incident"},
         {"title", title},
         {"service", {{"id", "PSVCWEB"}, {"type", "service_reference"}}}}}});
  if (!created.is_object() || !created.contains("incident")) {
    Die(absl::StrCat("creating incident '", title, "' answered no incident: ", created.dump()));
  }
  return created["incident"].value("id", "");
}

// Jira issues whose summary starts with `prefix`.
int IssuesWithPrefix(World& world, const std::string& prefix) {
  return world.jira->store().Read([&](const jira_sim::State& state) {
    int count = 0;
    for (const auto& [id, issue] : state.issues) {
      count += absl::StartsWith(issue.summary, prefix) ? 1 : 0;
    }
    return count;
  });
}

// Comments on the Jira issues whose summary starts with `prefix`.
int CommentsWithPrefix(World& world, const std::string& prefix) {
  return world.jira->store().Read([&](const jira_sim::State& state) {
    int count = 0;
    for (const auto& [id, issue] : state.issues) {
      if (absl::StartsWith(issue.summary, prefix)) count += issue.comments.size();
    }
    return count;
  });
}

// Runs kConfig with `integrations` (name -> projects, a YAML list); by
// default one, "bench", of PSVCWEB.
std::unique_ptr<engine::EmbeddedPipeline> StartPipeline(
    World& world, absl::Duration poll_interval, absl::Time start_time,
    const std::string& state_dir,
    const std::map<std::string, std::string>& integrations = {{"bench", "[PSVCWEB]"}}) {
  std::string config = kConfig;
  for (const auto& [name, projects] : integrations) {
    absl::StrAppend(&config, absl::StrReplaceAll(kIntegration, {{"NAME", name},
                                                                {"PROJECTS", projects}}));
    if (const std::string policy = absl::GetFlag(FLAGS_conflict_policy); !policy.empty()) {
      absl::StrAppend(&config, "    conflict_policy: ", policy, "\n");
    }
  }
  const std::string yaml = absl::StrReplaceAll(
      config, {{"PD_PORT", std::to_string(world.pd->port())},
                {"PD_RPM", std::to_string(PagerDutyRequestsPerMinute())},
                {"JIRA_PORT", std::to_string(world.jira->server().port())},
                {"JIRA_USERNAME",
                 JiraRateLimit() ? absl::StrCat("    username: ", kJiraUser, "\n") : ""},
                {"POLL_INTERVAL", absl::StrCat(absl::ToDoubleSeconds(poll_interval), "s")},
                {"START_TIME", absl::FormatTime(absl::RFC3339_sec, start_time,
                                                absl::UTCTimeZone())}});
  config::ValidationOptions options;
  options.system_kinds = engine::ConnectorRegistry::Kinds();
  options.check_secrets = true;
  const auto loaded = config::LoadConfigText(yaml, "e2e-bench.yaml", options);
  if (!loaded.ok()) Die(config::FormatProblem(loaded.problems.front()));
  engine::EmbeddedPipeline::Options pipeline_options;
  pipeline_options.state_dir = state_dir;
  pipeline_options.http_observer = &world.calls;
  auto pipeline = engine::EmbeddedPipeline::Create(loaded.config, pipeline_options);
  if (!pipeline.ok()) Die(pipeline.status().ToString());
  (*pipeline)->Start();
  return *std::move(pipeline);
}

void WaitForIssues(World& world, const std::string& prefix, int count, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (IssuesWithPrefix(world, prefix) < count) {
    if (absl::Now() > deadline) {
      Die(absl::StrCat("only ", IssuesWithPrefix(world, prefix), " of ", count,
                       " '", prefix, "' issues reached Jira in ", absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(1));
  }
}

// The baseline: the one Jira create per incident, made by a plain
// keep-alive client one after another. Returns creates per second.
double MinimalClientRate(World& world, int incidents) {
  httplib::Client client("127.0.0.1", world.jira->server().port());
  client.set_tcp_nodelay(true);
  client.set_keep_alive(true);
  const httplib::Headers headers = {{"Authorization", absl::StrCat("Bearer ", kJiraPat)}};
  const absl::Time start = absl::Now();
  for (int i = 0; i < incidents; ++i) {
    const nlohmann::json issue = {
        {"fields",
         {{"project", {{"key", "OPS"}}},
          {"issuetype", {{"name", "Incident"}}},
          {"summary", absl::StrCat("baseline-", i)}}}};
    auto res = client.Post("/rest/api/2/issue", headers, issue.dump(), "application/json");
    if (!res || res->status != 201) {
      Die(absl::StrCat("baseline create failed: ", res ? res->body : "no answer"));
    }
  }
  return incidents / absl::ToDoubleSeconds(absl::Now() - start);
}

// A simulator counts a request once its answer is sent, a moment after its
// effect shows in the store: give the last ones that moment.
void SettleCounts() { absl::SleepFor(absl::Milliseconds(200)); }

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const size_t rank = static_cast<size_t>(std::ceil(p * values.size()));
  return values[std::max<size_t>(rank, 1) - 1];
}

// Prints `counter`'s calls per `unit` (`units` of them).
void PrintRequests(const char* side, const RequestCounter& counter, int units,
                   const char* unit = "incident") {
  std::printf("    %s: %.2f calls per %s (%lld calls)\n", side,
              static_cast<double>(counter.Total()) / units, unit,
              static_cast<long long>(counter.Total()));
  for (const auto& [shape, count] : counter.ByShape()) {
    std::printf("      %-44s %6.2f per %s\n", shape.c_str(),
                static_cast<double>(count) / units, unit);
  }
}

// The integration "bench" of PSVCWEB and `services` more (BenchService).
std::map<std::string, std::string> BenchIntegration(int services) {
  std::vector<std::string> projects = {"PSVCWEB"};
  for (int i = 0; i < services; ++i) projects.push_back(BenchService(i));
  return {{"bench", absl::StrCat("[", absl::StrJoin(projects, ", "), "]")}};
}

// The PagerDuty log entries logged since `since`, as the API counts them
// (one request, made before the counters are reset).
int64_t LogEntriesSince(World& world, absl::Time since) {
  httplib::Client client("127.0.0.1", world.pd->port());
  const httplib::Headers headers = {{"Authorization", absl::StrCat("Token token=", kPdToken)},
                                    {"Accept", "application/vnd.pagerduty+json;version=2"}};
  const std::string path = absl::StrCat(
      "/log_entries?limit=1&total=true&since=",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", since, absl::UTCTimeZone()));
  auto res = client.Get(path, headers);
  if (!res || res->status != 200) {
    Die(absl::StrCat("GET ", path, " failed: ", res ? res->body : "no answer"));
  }
  const auto body = nlohmann::json::parse(res->body, nullptr, false);
  if (!body.is_object() || !body.contains("total") || !body["total"].is_number_integer()) {
    Die(absl::StrCat("GET ", path, " gave no total: ", res->body));
  }
  return body["total"].get<int64_t>();
}

// How far back the throughput round's incidents were opened: past the
// PagerDuty reader's look-back (its 2-minute overlap) and the 10 minutes
// its account log holds, as a real backfill's are, so they are read as a
// backfill reads them.
constexpr absl::Duration kBackfillSpan = absl::Minutes(30);

// `count` incidents of PSVCWEB titled backlog-<i>, opened by a person one
// after another over kBackfillSpan up to a minute before `now` (seed.h
// format).
nlohmann::json BackdatedIncidents(int count, absl::Time now) {
  nlohmann::json incidents = nlohmann::json::array();
  const absl::Time first = now - absl::Minutes(1) - kBackfillSpan;
  for (int i = 0; i < count; ++i) {
    incidents.push_back(
        {{"title", absl::StrCat("backlog-", i)},
         {"service_id", "PSVCWEB"},
         {"as_user", "ada@example.com"},
         {"created_at", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", first + kBackfillSpan * i / count,
                                         absl::UTCTimeZone())}});
  }
  return incidents;
}

// With Jira Data Center's bucket on (--jira_rate_limit), prints the
// backfill's time beside its bound at that limit: the calls Jira accepted
// beyond the bucket's `limit` (all of it unspent at the start) at the fill
// rate, and the 429s Ferry drew (none is the aim).
void PrintJiraBucketBound(const JiraBucket& bucket, const RequestCounter& jira, double wall) {
  int64_t refused = 0;
  for (const auto& [shape, count] : jira.ByShape()) {
    if (absl::EndsWith(shape, "-> 429")) refused += count;
  }
  const int64_t accepted = jira.Total() - refused;
  const double bound = std::max<int64_t>(0, accepted - bucket.limit) / bucket.per_second();
  std::printf("    Jira Data Center bucket of %d refilled at %.1f/s: %lld calls accepted, %lld "
              "answered 429; the time bound (calls beyond the bucket at the fill rate) %.1f s; "
              "the backfill took %.2f s: %.2f of the bound\n",
              bucket.limit, bucket.per_second(), static_cast<long long>(accepted),
              static_cast<long long>(refused), bound, wall, wall / bound);
}

// Backfills --incidents incidents opened over the half hour before (see
// BackdatedIncidents) and reports their rate beside the
// minimal client's, the time to the first and the last issue, and the
// calls they cost, PagerDuty's beside its bound: one /log_entries page of
// 100 per 100 entries of the backfill (each incident's entries carry it,
// include[]=incidents) and the integration user's lookup, plus the one
// call per poll interval that polling costs while the backfill runs, and
// one GET of the notes per incident given a note (--backfill_notes). With
// --latency_services the integration reads that many more services, which
// backfill too. With --pd_requests_per_minute it also sets the time beside
// its bounds at that rate: every PagerDuty call beyond the window's
// allowance (the limit, all of it unspent at the start) at limit/60 a
// second, and, since PagerDuty's windows are fixed minutes, a minute per
// window the calls fill beyond the first.
void Throughput(int latency_ms, const std::string& state_dir) {
  const int services = absl::GetFlag(FLAGS_latency_services);
  const absl::Duration poll = absl::GetFlag(FLAGS_poll_interval);
  const int incidents = absl::GetFlag(FLAGS_incidents);
  const absl::Time now = absl::Now();
  auto world = StartWorld(latency_ms, services, BackdatedIncidents(incidents, now));
  const double baseline = MinimalClientRate(*world, incidents);
  const int notes = std::min(absl::GetFlag(FLAGS_backfill_notes), incidents);
  for (int i = 0; i < notes; ++i) {
    const std::string title = absl::StrCat("backlog-", i);
    ActOnPagerDuty(*world, "POST", absl::StrCat("/incidents/", world->incident_ids[title], "/notes"),
                   {{"note", {{"content", absl::StrCat("note on ", title)}}}});
  }
  const absl::Time start_time = now - absl::Minutes(2) - kBackfillSpan;
  const int64_t entries = LogEntriesSince(*world, start_time);
  SettleCounts();
  world->pd_requests.Reset();
  world->jira_requests.Reset();
  const absl::Time started = absl::Now();
  auto pipeline = StartPipeline(*world, poll, start_time, state_dir, BenchIntegration(services));
  WaitForIssues(*world, "backlog-", 1, absl::Minutes(10));
  const double first = absl::ToDoubleSeconds(absl::Now() - started);
  WaitForIssues(*world, "backlog-", incidents, absl::Minutes(10));
  const double last_issue = absl::ToDoubleSeconds(absl::Now() - started);
  // The backfill is over when the notes are comments too.
  if (!WaitFor([&] { return CommentsWithPrefix(*world, "backlog-") >= notes; },
               absl::Minutes(10))) {
    Die(absl::StrCat("only ", CommentsWithPrefix(*world, "backlog-"), " of ", notes,
                     " notes reached Jira as comments in 10 minutes"));
  }
  const double wall = absl::ToDoubleSeconds(absl::Now() - started);
  const double rate = incidents / wall;
  SettleCounts();
  std::printf("  throughput, %d incidents backfilled: %.1f incidents/s; minimal client "
              "%.1f creates/s; ratio %.3f\n",
              incidents, rate, baseline, rate / baseline);
  const int64_t pages = (entries + 99) / 100;
  // The integration user's lookup with an account token: /users/me (400)
  // and /users?query.
  const int64_t identity = 2;
  // A fetch of the log's tail per poll interval, the first included.
  const int64_t polls = 1 + static_cast<int64_t>(wall / absl::ToDoubleSeconds(poll));
  const int64_t bound = pages + identity + polls + notes;
  // ferryd's start-up system check (a service and its team's members per
  // service) is not reading: left out.
  int64_t check = 0;
  for (const auto& [shape, count] : world->pd_requests.ByShape()) {
    if (absl::StartsWith(shape, "GET /services") || absl::StartsWith(shape, "GET /teams")) {
      check += count;
    }
  }
  const int64_t reading = world->pd_requests.Total() - check;
  std::printf("    first issue after %.2f s, last after %.2f s, last of %d comments after "
              "%.2f s; PagerDuty reading %lld calls "
              "(and %lld of the start-up system check), bound %lld (%lld log pages for %lld "
              "entries + %lld identity + %lld tail fetches, one per poll + %d notes GETs): "
              "ratio %.2f\n",
              first, last_issue, notes, wall, static_cast<long long>(reading),
              static_cast<long long>(check),
              static_cast<long long>(bound), static_cast<long long>(pages),
              static_cast<long long>(entries), static_cast<long long>(identity),
              static_cast<long long>(polls), notes, static_cast<double>(reading) / bound);
  if (const int limit = absl::GetFlag(FLAGS_pd_requests_per_minute); limit > 0) {
    const int64_t calls = world->pd_requests.Total();
    const double per_second = limit / 60.0;
    const double time_bound = std::max<int64_t>(0, calls - limit) / per_second;
    // PagerDuty's window is fixed: the calls beyond one window's limit wait
    // for its end, a minute after the first call.
    const double window_bound = static_cast<double>((calls - 1) / limit) * 60;
    std::printf("    at %d PagerDuty requests/min: %lld calls in all; the time bound (calls "
                "beyond the window's %d, at %.0f/s) %.1f s, with fixed one-minute windows "
                "%.0f s; at the steady pace alone %.1f s; the backfill (issues and comments) "
                "took %.2f s: %.2f of the steady pace\n",
                limit, static_cast<long long>(calls), limit, per_second, time_bound,
                window_bound, calls / per_second, wall, wall / (calls / per_second));
  }
  if (const std::optional<JiraBucket> bucket = JiraRateLimit()) {
    PrintJiraBucketBound(*bucket, world->jira_requests, wall);
  }
  PrintRequests("PagerDuty", world->pd_requests, incidents);
  PrintRequests("Jira", world->jira_requests, incidents);
  world->calls.Print(wall);
}

// Times --samples incidents one at a time, each at a random moment of the
// poll cycle, after a burst of --latency_backlog incidents (synced first).
// With --latency_services, the integration reads that many more services.
void Latency(int latency_ms, const std::string& state_dir) {
  const int services = absl::GetFlag(FLAGS_latency_services);
  auto world = StartWorld(latency_ms, services);
  const absl::Duration poll = absl::GetFlag(FLAGS_poll_interval);
  auto pipeline =
      StartPipeline(*world, poll, absl::Now(), state_dir, BenchIntegration(services));
  // One incident synced first, so that start-up calls are not counted.
  const int backlog = absl::GetFlag(FLAGS_latency_backlog);
  for (int i = 0; i <= backlog; ++i) CreateIncident(*world, absl::StrCat("burst-", i));
  WaitForIssues(*world, "burst-", backlog + 1, absl::Minutes(10));
  world->pd_requests.Reset();
  world->jira_requests.Reset();
  const int samples = absl::GetFlag(FLAGS_samples);
  std::mt19937 random(latency_ms + 1);
  std::uniform_real_distribution<double> phase(0, absl::ToDoubleSeconds(poll));
  std::vector<double> seconds;
  const absl::Time started = absl::Now();
  for (int i = 0; i < samples; ++i) {
    absl::SleepFor(absl::Seconds(phase(random)));
    const std::string title = absl::StrCat("timed-", i, "-");
    const absl::Time created = absl::Now();
    CreateIncident(*world, title);
    WaitForIssues(*world, title, 1, absl::Minutes(2));
    seconds.push_back(absl::ToDoubleSeconds(absl::Now() - created));
  }
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - started);
  SettleCounts();
  std::printf("  sync latency, poll interval %s, %d services, %d incidents after a burst "
              "of %d: median %.3f s, p99 %.3f s (median / poll interval %.2f)\n",
              absl::FormatDuration(poll).c_str(), services + 1, samples, backlog,
              Percentile(seconds, 0.5), Percentile(seconds, 0.99),
              Percentile(seconds, 0.5) / absl::ToDoubleSeconds(poll));
  std::printf("    over %.0f s, %.2f polls' worth of time per incident\n", elapsed,
              elapsed / samples / absl::ToDoubleSeconds(poll));
  PrintRequests("PagerDuty (idle polls included)", world->pd_requests, samples);
  PrintRequests("Jira", world->jira_requests, samples);
}

// Push mode (PushPipeline: a webhook subscription on PSVCWEB, a reader that
// polls hourly, the Title to a fake system): --push_samples incidents
// created one at a time, each brought over by its webhook; the PagerDuty
// calls per webhook beside the minimum, one /log_entries read (the
// incident rides in its entries).
void PushReads(const std::string& state_dir) {
  auto world = StartWorld(0);
  auto push = pagerduty::PushPipeline::Start(world->pd->port(), state_dir + "/push");
  if (!push.ok()) Die(push.status().ToString());
  if (!(*push)->WaitForFirstPolls(absl::Minutes(1))) Die("push mode: no first poll in 1 min");
  // One incident first, so that start-up calls are not counted.
  CreateIncident(*world, "push-warm-up");
  if (!(*push)->WaitForTask("push-warm-up", absl::Minutes(1))) Die("push mode: no warm-up task");
  SettleCounts();
  world->pd_requests.Reset();
  const int samples = absl::GetFlag(FLAGS_push_samples);
  for (int i = 0; i < samples; ++i) {
    const std::string title = absl::StrCat("push-", i);
    CreateIncident(*world, title);
    if (!(*push)->WaitForTask(title, absl::Minutes(1))) Die(title + " came over by no webhook");
  }
  SettleCounts();
  const double per_webhook = static_cast<double>(world->pd_requests.Total()) / samples;
  std::printf("  push mode, %d incidents one at a time: %.2f PagerDuty calls per webhook "
              "(minimum 1: ratio %.2f)\n",
              samples, per_webhook, per_webhook);
  PrintRequests("PagerDuty", world->pd_requests, samples, "webhook");
}

// What the Jira simulator holds of the issue whose summary is `summary`.
struct IssueView {
  std::string key;  // empty: no such issue yet
  std::string status_id;
  size_t comments = 0;
  size_t remote_links = 0;
};
IssueView ViewIssue(World& world, const std::string& summary) {
  return world.jira->store().Read([&](const jira_sim::State& state) {
    for (const auto& [id, issue] : state.issues) {
      if (issue.summary == summary) {
        return IssueView{issue.key, issue.status_id, issue.comments.size(),
                         issue.remote_links.size()};
      }
    }
    return IssueView{};
  });
}

// Waits until `done` holds, polling every millisecond.
template <typename Condition>
void WaitUntil(const std::string& what, Condition done) {
  if (!WaitFor(done)) Die(absl::StrCat(what, " did not happen within 2 minutes"));
}

// Raises the incidents `ids` (titled `prefix` and their index) to P1 on
// PagerDuty as a person, one at a time, each waiting for the Jira priority
// (Highest, id 1). PagerDuty logs a priority change; it logs no retitle,
// which its readers therefore cannot see.
void PrioritizeOnPagerDuty(World& world, const std::string& prefix,
                           const std::vector<std::string>& ids) {
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string title = absl::StrCat(prefix, i);
    ActOnPagerDuty(world, "PUT", absl::StrCat("/incidents/", ids[i]),
                   {{"incident",
                     {{"type", "incident_reference"},
                      {"priority", {{"id", "PPRIO01"}, {"type", "priority_reference"}}}}}});
    WaitUntil(title + " Highest in Jira", [&] {
      return world.jira->store().Read([&](const jira_sim::State& state) {
        for (const auto& [id, issue] : state.issues) {
          if (issue.summary == title) return issue.priority_id == "1";
        }
        return false;
      });
    });
  }
}

// Calls per change, change by change: each kind --changes times, one
// change at a time, on the realistic config with --latency_services more
// idle services. The polls' reads are taken out at the rate an idle
// stretch of the same run measured (calls per second on each side).
void Changes(const std::string& state_dir) {
  const int services = absl::GetFlag(FLAGS_latency_services);
  const int changes = absl::GetFlag(FLAGS_changes);
  const absl::Duration poll = absl::GetFlag(FLAGS_poll_interval);
  auto world = StartWorld(0, services);
  auto pipeline = StartPipeline(*world, poll, absl::Now(), state_dir, BenchIntegration(services));
  // A first incident through every kind of change, so that what is learned
  // once (the integration user, the workflow's transitions) is not counted.
  auto run = [&](const std::string& prefix, int count) {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      const std::string title = absl::StrCat(prefix, i);
      ids.push_back(CreateIncident(*world, title));
      WaitUntil(title + " in Jira with its remote link",
                [&] { return ViewIssue(*world, title).remote_links > 0; });
    }
    return ids;
  };
  auto acknowledge = [&](const std::string& prefix, const std::vector<std::string>& ids) {
    for (size_t i = 0; i < ids.size(); ++i) {
      ActOnPagerDuty(*world, "PUT", absl::StrCat("/incidents/", ids[i]),
                     {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}});
      const std::string title = absl::StrCat(prefix, i);
      WaitUntil(title + " Acknowledged in Jira",
                [&] { return ViewIssue(*world, title).status_id == "10000"; });
    }
  };
  auto note = [&](const std::string& prefix, const std::vector<std::string>& ids) {
    for (size_t i = 0; i < ids.size(); ++i) {
      const std::string title = absl::StrCat(prefix, i);
      const size_t before = ViewIssue(*world, title).comments;
      ActOnPagerDuty(*world, "POST", absl::StrCat("/incidents/", ids[i], "/notes"),
                     {{"note", {{"content", absl::StrCat("note on ", title)}}}});
      WaitUntil(title + "'s note as a Jira comment",
                [&] { return ViewIssue(*world, title).comments > before; });
    }
  };
  httplib::Client alice("127.0.0.1", world->jira->server().port());
  alice.set_basic_auth("alice", "alice-password");
  const httplib::Headers person = {{RequestCounter::kPersonHeader, "alice"}};
  auto comment = [&](const std::string& prefix, const std::vector<std::string>& ids) {
    for (size_t i = 0; i < ids.size(); ++i) {
      const std::string title = absl::StrCat(prefix, i);
      const std::string notes_path = absl::StrCat("/incidents/", ids[i], "/notes");
      const size_t before = ActOnPagerDuty(*world, "GET", notes_path)["notes"].size();
      const nlohmann::json body = {{"body", absl::StrCat("comment on ", title)}};
      auto res = alice.Post(absl::StrCat("/rest/api/2/issue/", ViewIssue(*world, title).key,
                                         "/comment"),
                            person, body.dump(), "application/json");
      if (!res || res->status != 201) Die("alice's comment failed");
      WaitUntil(title + "'s comment as a PagerDuty note", [&] {
        return ActOnPagerDuty(*world, "GET", notes_path)["notes"].size() > before;
      });
    }
  };
  const std::vector<std::string> warm = run("warm-", 1);
  acknowledge("warm-", warm);
  note("warm-", warm);
  comment("warm-", warm);
  absl::SleepFor(2 * poll);
  SettleCounts();

  // The idle rate of each side, in the same run.
  world->pd_requests.Reset();
  world->jira_requests.Reset();
  const absl::Duration idle = 5 * poll;
  absl::SleepFor(idle);
  const double pd_idle = world->pd_requests.Total() / absl::ToDoubleSeconds(idle);
  const double jira_idle = world->jira_requests.Total() / absl::ToDoubleSeconds(idle);
  std::printf("  calls per change, poll interval %s, %d services (idle: PagerDuty %.2f, "
              "Jira %.2f calls per poll, taken out below)\n",
              absl::FormatDuration(poll).c_str(), services + 1,
              pd_idle * absl::ToDoubleSeconds(poll), jira_idle * absl::ToDoubleSeconds(poll));
  std::vector<std::string> ids;
  auto measure = [&](const ChangeKind& kind, const std::function<void()>& changes_made) {
    world->pd_requests.Reset();
    world->jira_requests.Reset();
    const absl::Time started = absl::Now();
    changes_made();
    absl::SleepFor(2 * poll);  // calls that follow the visible effect
    SettleCounts();
    const double seconds = absl::ToDoubleSeconds(absl::Now() - started);
    const double pd = (world->pd_requests.Total() - pd_idle * seconds) / changes;
    const double jira = (world->jira_requests.Total() - jira_idle * seconds) / changes;
    PrintChangeCost(kind, pd, "Jira", jira);
    PrintRequests("PagerDuty (idle polls included)", world->pd_requests, changes, "change");
    PrintRequests("Jira (idle polls included)", world->jira_requests, changes, "change");
  };
  measure({"new incident", 0, 2,
           "Jira: 1 create (status Open is the workflow's first, priority and origin ride "
           "in it) + 1 remote link; PagerDuty: nothing beyond the log page, which "
           "include[]=incidents expands"},
          [&] { ids = run("change-", changes); });
  measure({"acknowledge", 0, 1,
           "Jira: 1 transition (transitions learned once per project, type and status); "
           "PagerDuty: nothing beyond the log page"},
          [&] { acknowledge("change-", ids); });
  measure({"PagerDuty note", 1, 1,
           "Jira: 1 comment POST; PagerDuty: 1 GET of the notes (the annotate log entry "
           "has the text but not the note's id)"},
          [&] { note("change-", ids); });
  measure({"Jira comment", 1, 0,
           "PagerDuty: 1 note POST; Jira: nothing beyond the poll's search, whose issues "
           "carry their comments"},
          [&] { comment("change-", ids); });
  measure({"PagerDuty priority", 0, 1,
           "Jira: 1 priority PUT (no read first under any policy but TARGET_WINS and "
           "RAISE_FAILURE); PagerDuty: nothing beyond the log page"},
          [&] { PrioritizeOnPagerDuty(*world, "change-", ids); });
}

// PagerDuty calls per idle poll with `services` services, in one
// integration or (`one_each`) in one integration per service.
void IdlePolls(int services, bool one_each, const std::string& state_dir) {
  auto world = StartWorld(0, services);
  std::map<std::string, std::string> integrations;
  std::vector<std::string> all;
  for (int i = 0; i < services; ++i) {
    all.push_back(BenchService(i));
    if (one_each) integrations[absl::StrCat("bench-", i)] = absl::StrCat("[", all.back(), "]");
  }
  if (!one_each) integrations["bench"] = absl::StrCat("[", absl::StrJoin(all, ", "), "]");
  const absl::Duration poll = absl::GetFlag(FLAGS_poll_interval);
  auto pipeline = StartPipeline(*world, poll, absl::Now(), state_dir, integrations);
  // Start-up (the integration user, the first reads) is not counted.
  absl::SleepFor(3 * poll);
  world->pd_requests.Reset();
  const int polls = absl::GetFlag(FLAGS_idle_polls);
  absl::SleepFor(polls * poll);
  const double per_poll = static_cast<double>(world->pd_requests.Total()) / polls;
  std::printf("  %2d services, %-27s: %.2f PagerDuty calls per idle poll "
              "(minimum 1: ratio %.2f)\n",
              services, one_each ? "one integration per service" : "in one integration",
              per_poll, per_poll);
  PrintRequests("PagerDuty", world->pd_requests, polls, "poll");
}

}  // namespace
}  // namespace ferry::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows as it happens
  setenv("FERRY_BENCH_PD_TOKEN", ferry::bench::kPdToken, 1);
  setenv("FERRY_BENCH_JIRA_TOKEN",
         ferry::bench::JiraRateLimit() ? ferry::bench::kJiraPassword : ferry::bench::kJiraPat, 1);
  const auto dir = std::filesystem::temp_directory_path() /
                   absl::StrCat("ferry-e2e-bench-", getpid());
  std::filesystem::create_directories(dir);
  if (!absl::GetFlag(FLAGS_services).empty()) {
    std::printf("idle polls, poll interval %s\n",
                absl::FormatDuration(absl::GetFlag(FLAGS_poll_interval)).c_str());
  }
  for (const std::string& count : absl::GetFlag(FLAGS_services)) {
    for (bool one_each : {false, true}) {
      ferry::bench::IdlePolls(std::stoi(count), one_each,
                              (dir / absl::StrCat("idle-", count, one_each)).string());
    }
  }
  if (absl::GetFlag(FLAGS_changes_round)) {
    std::printf("changes one at a time, 0 ms added latency\n");
    ferry::bench::Changes((dir / "changes").string());
  }
  if (absl::GetFlag(FLAGS_push_samples) > 0) {
    std::printf("push mode, 0 ms added latency\n");
    ferry::bench::PushReads((dir / "push").string());
  }
  for (const std::string& latency : absl::GetFlag(FLAGS_latency_ms)) {
    const int latency_ms = std::stoi(latency);
    std::printf("latency %d ms per simulator request\n", latency_ms);
    ferry::bench::Throughput(latency_ms, (dir / ("throughput-" + latency)).string());
    ferry::bench::Latency(latency_ms, (dir / ("latency-" + latency)).string());
  }
  std::filesystem::remove_all(dir);
  return 0;
}
