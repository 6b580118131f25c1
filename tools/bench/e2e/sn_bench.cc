// End-to-end benchmark, ServiceNow target (issue 20): PagerDuty incidents
// synced both ways with ServiceNow incidents by the embedded pipeline,
// through both simulators (in this process, over real HTTP on loopback).
// It reports the API calls Ferry makes per synced incident for each kind
// of change made as a person, one at a time --changes times, beside the
// fewest that change needs (kKinds derives each), with the polls' own
// reads taken out at the idle rate measured in the same run:
//
//  - new incident: a ServiceNow create (POST, correlation_id in it);
//  - acknowledge: a state move (one PATCH);
//  - PagerDuty note: a work note (one PATCH; PagerDuty one GET of the
//    notes, as for Jira);
//  - ServiceNow comment: a PagerDuty note (one POST; ServiceNow one GET of
//    the journal, which the incident row does not carry).
//
// The config is realistic (kConfig): titles both ways, the state model
// both ways, priority as impact and urgency, notes ⇄ work notes and
// comments. Rate limits are lifted on both sides.
//
//   bazel run -c opt //tools/bench/e2e:sn -- --changes=10 --poll_interval=1s
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "engine/runtime/pipeline.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/bench/e2e/bench_story.h"
#include "tools/bench/e2e/request_counter.h"
#include "tools/pagerduty_sim/pagerduty_sim.h"
#include "tools/pagerduty_sim/seed.h"
#include "tools/servicenow_sim/fixture.h"
#include "tools/servicenow_sim/incident_rules.h"
#include "tools/servicenow_sim/servicenow_simulator.h"

ABSL_FLAG(int, changes, 10, "Changes of each kind, made one at a time.");
ABSL_FLAG(absl::Duration, poll_interval, absl::Seconds(1), "The integration's poll interval.");

namespace ferry::bench {
namespace {

constexpr char kSeed[] = "tools/pagerduty_sim/testdata/seed.json";
constexpr char kFixture[] = "tools/servicenow_sim/testdata/fixture.json";
constexpr char kPerson[] = "alice";  // the fixture's itil user, a person

constexpr char kConfig[] = R"(
systems:
  - name: pagerduty
    kind: pagerduty
    url: http://127.0.0.1:PD_PORT
    token: {env: FERRY_BENCH_PD_TOKEN}
    user_email: ferry-bot@example.com
    requests_per_minute: 10000000
  - name: servicenow
    kind: servicenow
    url: http://127.0.0.1:SN_PORT
    username: ferry
    token: {env: FERRY_BENCH_SN_PASSWORD}
    requests_per_minute: 10000000
mappings:
  - name: incident-to-incident
    source_type: incident
    target_type: incident
    fields:
      - {source: Title, target: short_description, direction: BOTH}
      - {source: Title, target: description, sync_when: CREATE}
      - source: Status
        target: state
        value_map: {values: {triggered: New, acknowledged: In Progress, resolved: Resolved}}
      - source: Status
        target: state
        direction: REVERSE
        value_map:
          reverse_values:
            New: acknowledged
            In Progress: acknowledged
            On Hold: acknowledged
            Resolved: resolved
            Closed: resolved
            Canceled: resolved
      - source: Priority
        target: impact
        value_map: {values: {P1: 1 - High, P2: 1 - High, P3: 2 - Medium}, default_value: 3 - Low}
      - source: Priority
        target: urgency
        value_map: {values: {P1: 1 - High, P2: 2 - Medium, P3: 2 - Medium}, default_value: 3 - Low}
    comments: {direction: BOTH, kinds: [note, work_notes, comments]}
integrations:
  - name: bench
    source: {system: pagerduty, projects: [PSVCWEB]}
    target: {system: servicenow, projects: [incident]}
    mapping: incident-to-incident
    direction: BOTH
    poll_interval: POLL_INTERVAL
    start_time: START_TIME
)";

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "servicenow e2e bench: %s\n", message.c_str());
  std::exit(1);
}

// Both simulators with their request counters; people act through the
// admin channels, which are not counted.
class SnBenchWorld {
 public:
  SnBenchWorld() {
    simcore::SimServerOptions options;
    options.rate_limit.limit = 10000000;
    std::ifstream seed_file(kSeed);
    auto pd_state =
        pagerduty_sim::StateFromSeed(nlohmann::json::parse(seed_file, nullptr, false), absl::Now());
    if (!pd_state.ok()) Fail(absl::StrCat(kSeed, ": ", pd_state.status().ToString()));
    pd_ = std::make_unique<pagerduty_sim::PagerDutySim>(options, *std::move(pd_state));
    sn_ = std::make_unique<servicenow_sim::ServiceNowSimulator>(options);
    auto fixture = servicenow_sim::FixtureFromFile(kFixture);
    if (!fixture.ok()) Fail(fixture.status().ToString());
    for (const servicenow_sim::FixtureRow& row : fixture->rows) {
      auto seeded = sn_->store().Seed(row.table, row.row, sn_->Now());
      if (!seeded.ok()) Fail(absl::StrCat(kFixture, ": ", seeded.status().ToString()));
    }
    absl::Status ruled =
        sn_->store().SetRules("incident", std::make_unique<servicenow_sim::IncidentRules>());
    if (!ruled.ok()) Fail(ruled.ToString());
    pd_requests.Attach(pd_->server());
    sn_requests.Attach(sn_->server());
    if (!pd_->Start().ok() || !sn_->Start().ok()) Fail("the simulators did not start");
    pd_admin_ = std::make_unique<httplib::Client>("127.0.0.1", pd_->port());
    sn_admin_ = std::make_unique<httplib::Client>("127.0.0.1", sn_->server().port());
  }

  // A call as ada on PagerDuty's REST API (/admin/act); returns the body.
  nlohmann::json OnPagerDuty(const std::string& method, const std::string& path,
                             const nlohmann::json& body = nullptr) {
    nlohmann::json act = {{"as", "ada@example.com"}, {"method", method}, {"path", path}};
    if (!body.is_null()) act["body"] = body;
    return Answer(pd_admin_->Post("/admin/act", act.dump(), "application/json"), path);
  }
  // A call as alice on ServiceNow's Table API (/admin/servicenow/as/).
  nlohmann::json OnServiceNow(const std::string& method, const std::string& path,
                              const nlohmann::json& body) {
    const std::string full = absl::StrCat("/admin/servicenow/as/", kPerson, "/api/now/table", path);
    return Answer(method == "PATCH" ? sn_admin_->Patch(full, body.dump(), "application/json")
                                    : sn_admin_->Post(full, body.dump(), "application/json"),
                  full);
  }
  // The rows of `table` that `query` finds (admin API, not counted).
  nlohmann::json Rows(const std::string& table, const std::string& query) {
    const std::string path = httplib::append_query_params(
        absl::StrCat("/admin/servicenow/tables/", table, "/rows"), {{"sysparm_query", query}});
    return Answer(sn_admin_->Get(path), path).value("result", nlohmann::json::array());
  }

  std::string Config(absl::Duration poll) const {
    return absl::StrReplaceAll(
        kConfig, {{"PD_PORT", absl::StrCat(pd_->port())},
                  {"SN_PORT", absl::StrCat(sn_->server().port())},
                  {"POLL_INTERVAL", absl::StrCat(absl::ToDoubleSeconds(poll), "s")},
                  {"START_TIME", absl::FormatTime(absl::RFC3339_sec, absl::Now(),
                                                  absl::UTCTimeZone())}});
  }

  RequestCounter pd_requests;
  RequestCounter sn_requests;

 private:
  static nlohmann::json Answer(const httplib::Result& result, const std::string& what) {
    if (!result || result->status / 100 != 2) {
      Fail(absl::StrCat(what, ": ", result ? result->body : "no answer"));
    }
    return nlohmann::json::parse(result->body, nullptr, false);
  }

  std::unique_ptr<pagerduty_sim::PagerDutySim> pd_;
  std::unique_ptr<servicenow_sim::ServiceNowSimulator> sn_;
  std::unique_ptr<httplib::Client> pd_admin_;
  std::unique_ptr<httplib::Client> sn_admin_;
};

// Waits until `done` holds.
void WaitUntil(const std::string& what, const std::function<bool()>& done) {
  if (!WaitFor(done)) Fail(absl::StrCat(what, " did not happen within 2 minutes"));
}

constexpr ChangeKind kKinds[] = {
    {"new incident", 0, 1,
     "ServiceNow: 1 POST (fields, state New, impact and urgency, correlation_id in it); "
     "PagerDuty: nothing beyond the log page"},
    {"acknowledge", 0, 1, "ServiceNow: 1 PATCH of state; PagerDuty: nothing beyond the log page"},
    {"PagerDuty note", 1, 1,
     "ServiceNow: 1 PATCH of work_notes; PagerDuty: 1 GET of the notes (the log entry has "
     "no note id)"},
    {"ServiceNow comment", 1, 1,
     "PagerDuty: 1 note POST; ServiceNow: 1 GET of sys_journal_field (the incident row does "
     "not carry journal text)"},
};

// The incidents' one-at-a-time changes of each kind, in kKinds' order.
class Story {
 public:
  explicit Story(SnBenchWorld& world) : world_(world) {}

  void Run(int kind, const std::string& prefix, int count) {
    if (kind == 0) {
      for (int i = 0; i < count; ++i) Create(absl::StrCat(prefix, i));
      return;
    }
    for (int i = 0; i < count; ++i) {
      const std::string title = absl::StrCat(prefix, i);
      if (kind == 1) Acknowledge(title);
      if (kind == 2) Note(title);
      if (kind == 3) Comment(title);
    }
  }

 private:
  void Create(const std::string& title) {
    const nlohmann::json created = world_.OnPagerDuty(
        "POST", "/incidents",
        {{"incident",
          {{"type", "incident"},
           {"title", title},
           {"service", {{"id", "PSVCWEB"}, {"type", "service_reference"}}}}}});
    pd_ids_[title] = created["incident"].value("id", "");
    WaitUntil(title + " in ServiceNow", [&] {
      const nlohmann::json rows = world_.Rows("incident", "short_description=" + title);
      if (rows.empty()) return false;
      sys_ids_[title] = rows[0].value("sys_id", "");
      return true;
    });
  }
  void Acknowledge(const std::string& title) {
    world_.OnPagerDuty("PUT", "/incidents/" + pd_ids_[title],
                       {{"incident", {{"type", "incident_reference"}, {"status", "acknowledged"}}}});
    WaitUntil(title + " In Progress", [&] {
      return !world_.Rows("incident", absl::StrCat("sys_id=", sys_ids_[title], "^state=2")).empty();
    });
  }
  void Note(const std::string& title) {
    world_.OnPagerDuty("POST", absl::StrCat("/incidents/", pd_ids_[title], "/notes"),
                       {{"note", {{"content", "note on " + title}}}});
    WaitUntil(title + "'s note as a work note", [&] {
      return !world_.Rows("sys_journal_field",
                          absl::StrCat("element_id=", sys_ids_[title], "^element=work_notes"))
                  .empty();
    });
  }
  void Comment(const std::string& title) {
    const std::string notes = absl::StrCat("/incidents/", pd_ids_[title], "/notes");
    const size_t before = world_.OnPagerDuty("GET", notes)["notes"].size();
    world_.OnServiceNow("PATCH", "/incident/" + sys_ids_[title],
                        {{"comments", "comment on " + title}});
    WaitUntil(title + "'s comment as a PagerDuty note",
              [&] { return world_.OnPagerDuty("GET", notes)["notes"].size() > before; });
  }

  SnBenchWorld& world_;
  std::map<std::string, std::string> pd_ids_;
  std::map<std::string, std::string> sys_ids_;
};

void PrintShapes(const char* side, const RequestCounter& counter, int changes) {
  for (const auto& [shape, count] : counter.ByShape()) {
    std::printf("      %-10s %-44s %6.2f per change\n", side, shape.c_str(),
                static_cast<double>(count) / changes);
  }
}

void CallsPerChange(const std::string& state_dir) {
  const int changes = absl::GetFlag(FLAGS_changes);
  const absl::Duration poll = absl::GetFlag(FLAGS_poll_interval);
  SnBenchWorld world;
  config::ValidationOptions options;
  options.system_kinds = engine::ConnectorRegistry::Kinds();
  options.check_secrets = true;
  const auto loaded = config::LoadConfigText(world.Config(poll), "sn-bench.yaml", options);
  if (!loaded.ok()) Fail(config::FormatProblem(loaded.problems.front()));
  engine::EmbeddedPipeline::Options pipeline_options;
  pipeline_options.state_dir = state_dir;
  auto pipeline = engine::EmbeddedPipeline::Create(loaded.config, pipeline_options);
  if (!pipeline.ok()) Fail(pipeline.status().ToString());
  (*pipeline)->Start();

  // One incident through every kind first: what is learned once (the
  // integration user, say) is not counted.
  Story story(world);
  for (int kind = 0; kind < 4; ++kind) story.Run(kind, "warm-", 1);
  absl::SleepFor(2 * poll);
  // The idle rate of each side, in the same run.
  world.pd_requests.Reset();
  world.sn_requests.Reset();
  const absl::Duration idle = 5 * poll;
  absl::SleepFor(idle);
  const double pd_idle = world.pd_requests.Total() / absl::ToDoubleSeconds(idle);
  const double sn_idle = world.sn_requests.Total() / absl::ToDoubleSeconds(idle);
  std::printf("calls per change, ServiceNow target, poll interval %s (idle: PagerDuty %.2f, "
              "ServiceNow %.2f calls per poll, taken out below)\n",
              absl::FormatDuration(poll).c_str(), pd_idle * absl::ToDoubleSeconds(poll),
              sn_idle * absl::ToDoubleSeconds(poll));
  double pd_total = 0, sn_total = 0, pd_minimum = 0, sn_minimum = 0;
  for (int kind = 0; kind < 4; ++kind) {
    world.pd_requests.Reset();
    world.sn_requests.Reset();
    const absl::Time started = absl::Now();
    story.Run(kind, "change-", changes);
    absl::SleepFor(2 * poll);  // calls that follow the visible effect
    const double seconds = absl::ToDoubleSeconds(absl::Now() - started);
    const double pd = (world.pd_requests.Total() - pd_idle * seconds) / changes;
    const double sn = (world.sn_requests.Total() - sn_idle * seconds) / changes;
    const ChangeKind& what = kKinds[kind];
    PrintChangeCost(what, pd, "ServiceNow", sn);
    PrintShapes("PagerDuty", world.pd_requests, changes);
    PrintShapes("ServiceNow", world.sn_requests, changes);
    pd_total += pd;
    sn_total += sn;
    pd_minimum += what.pd_minimum;
    sn_minimum += what.target_minimum;
  }
  std::printf("  per incident through all four: PagerDuty %.2f (minimum %.0f, ratio %.2f), "
              "ServiceNow %.2f (minimum %.0f, ratio %.2f)\n",
              pd_total, pd_minimum, pd_total / pd_minimum, sn_total, sn_minimum,
              sn_total / sn_minimum);
}

}  // namespace
}  // namespace ferry::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  setvbuf(stdout, nullptr, _IOLBF, 0);
  setenv("FERRY_BENCH_PD_TOKEN", "account-full", 1);
  setenv("FERRY_BENCH_SN_PASSWORD", "ferry-password", 1);
  const auto dir =
      std::filesystem::temp_directory_path() / absl::StrCat("ferry-sn-bench-", getpid());
  std::filesystem::create_directories(dir);
  ferry::bench::CallsPerChange(dir.string());
  std::filesystem::remove_all(dir);
  return 0;
}
