// Benchmark (not a test): the PagerDuty reader (connectors/pagerduty) against
// an in-process PagerDutySim.
//
//   bazel run -c opt //tools/bench/pagerduty:pd_reader_bench -- \
//       --incidents=2000 --slow_incidents=2000 --notes=200 --latency_ms=50
//
// Figures, in one table:
//  1. Incidents read per second: N incidents created by a person over the
//     last hour, read from a checkpoint before them, with 0 ms and with
//     --latency_ms injected into every simulator response (a fault rule);
//     the ratio of the two rates closes the table.
//  2. API calls per synced change (every HTTP exchange the reader's client
//     sent, counted by an HttpObserver) against the minimum for the
//     scenario, for the new incidents and for notes added to old incidents.
//     The minimum for a reader that emits every field the seed promises:
//     the log entries of the range in pages of 100 (PagerDuty's largest
//     page; the log is the only way to find changes to old incidents); for
//     new incidents the /incidents list in pages of 100 (the log does not
//     carry priority, urgency or the conference bridge); for a change to an
//     old incident one GET /incidents/{id}, and for a note also
//     GET /incidents/{id}/notes (a log entry does not carry the note); and
//     the one /users/me that names the integration user on a first read.
//  3. API calls per idle poll and per polled change with 1, 10 and 50
//     services (one reader each, as one integration per service or one
//     integration for all: a reader per service either way), the readers
//     sharing the connector's AccountLog, beside the same readers each
//     reading the log alone (the baseline, same run). The minimum: one
//     /log_entries call per poll for the account, and per new incident the
//     GET of it.
//  4. A fourth row reads --event_incidents incidents opened the way
//     monitoring tools open them (Events API v2 triggers, alert details
//     as Description), against the same minimum as hand-made ones.
#include <atomic>
#include <cstdio>
#include <optional>
#include <set>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "http/http_client.h"
#include "http/http_observer.h"
#include "connectors/pagerduty/pd_account_log.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_identity.h"
#include "connectors/pagerduty/pd_reader.h"
#include "google/protobuf/util/time_util.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/pagerduty_sim.h"
#include "tools/pagerduty_sim/seed.h"

ABSL_FLAG(int, incidents, 2000, "incidents read without injected latency");
ABSL_FLAG(int, slow_incidents, 2000, "incidents read with --latency_ms per response");
ABSL_FLAG(int, notes, 200, "notes added to existing incidents for the second scenario");
ABSL_FLAG(int, event_incidents, 2000,
          "incidents opened by Events API v2 triggers for the third scenario");
ABSL_FLAG(int, latency_ms, 50, "latency injected into every simulator response");
ABSL_FLAG(int, polls, 5, "polls per service count in the shared-log rows");
ABSL_FLAG(int, window_entries, ferry::pagerduty::PdReaderOptions().window_entries,
          "the reader's window_entries (log entries per since/until window)");

namespace {

using ferry::pagerduty::FormatPdTime;

constexpr int kPageSize = 100;

// Counts the HTTP exchanges of the reader's client.
class CallCounter : public ferry::http::HttpObserver {
 public:
  void OnAttempt(const ferry::http::HttpAttempt&) override { calls_.fetch_add(1); }
  int Take() { return calls_.exchange(0); }

 private:
  std::atomic<int> calls_{0};
};

std::string ServiceId(int i) { return absl::StrCat("PS", i + 1); }

constexpr int kEventsPerKey = 100;  // below the simulator's 120 a minute per key

// The routing key of the bench's integration number `i`.
std::string RoutingKey(int i) {
  return absl::StrCat(std::string(16, 'b'), absl::Hex(i, absl::kZeroPad16));
}

nlohmann::json Integrations(int count) {
  nlohmann::json list = nlohmann::json::array();
  for (int i = 0; i < count; ++i) {
    list.push_back({{"id", absl::StrCat("PI", i)}, {"integration_key", RoutingKey(i)}});
  }
  return list;
}

// `services` services PS1, PS2, ...; PS1 holds `integrations` Events API v2
// integrations.
nlohmann::json ServicesJson(int services, int integrations) {
  nlohmann::json list = nlohmann::json::array();
  for (int i = 0; i < services; ++i) {
    list.push_back({{"id", ServiceId(i)},
                    {"name", ServiceId(i)},
                    {"escalation_policy_id", "PE1"},
                    {"integrations", Integrations(i == 0 ? integrations : 0)}});  }
  return list;
}

// `services` services PS1, PS2, ...; the incidents on PS1.
nlohmann::json Seed(int incidents, absl::Time now, int services, int integrations) {
  nlohmann::json list = nlohmann::json::array();
  for (int i = 0; i < incidents; ++i) {
    list.push_back({{"title", absl::StrCat("bench incident ", i)},
                    {"service_id", "PS1"},
                    {"as_user", "PU1"},
                    {"created_at", FormatPdTime(now - absl::Minutes(60) +
                                                absl::Minutes(58) * i / incidents)}});
  }
  return {{"users",
           {{{"id", "PU1"}, {"name", "Person"}, {"email", "person@example.com"},
             {"role", "admin"}},
            {{"id", "PBOT"}, {"name", "Ferry"}, {"email", "ferry@example.com"},
             {"role", "user"}}}},
          {"escalation_policies", {{{"id", "PE1"}, {"name", "EP"}, {"levels", {{"PU1"}}}}}},
          {"services", ServicesJson(services, integrations)},
          {"tokens", {{{"token", "bot"}, {"user_id", "PBOT"}},
                      {{"token", "person"}, {"user_id", "PU1"}}}},
          {"incidents", list}};
}

// One simulator with `incidents` incidents on PS1 and `services` services,
// and a reader of each service whose checkpoint is just before them; with
// `shared`, the readers share one AccountLog, as a connector's do; with
// `fields_read`, they are told what their mapping reads, as ferryd's are.
class Scenario {
 public:
  // `integrations` Events API v2 integrations on PS1 (see TriggerEvents).
  Scenario(int incidents, int latency_ms, int services = 1, bool shared = false,
           int integrations = 0,
           std::optional<std::set<std::string>> fields_read = std::nullopt)
      : start_(absl::Now()), clock_(start_) {
    auto state = ferry::pagerduty_sim::StateFromSeed(
        Seed(incidents, start_, services, integrations), start_);
    if (!state.ok()) Die(state.status());
    ferry::simcore::SimServerOptions options;
    options.rate_limit.limit = 1000000;
    sim_ = std::make_unique<ferry::pagerduty_sim::PagerDutySim>(options, *std::move(state));
    auto port = sim_->Start();
    if (!port.ok()) Die(port.status());
    base_url_ = absl::StrCat("http://127.0.0.1:", *port);
    admin_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    if (latency_ms > 0) {
      ferry::simcore::FaultRule rule;
      rule.kind = ferry::simcore::FaultKind::kLatency;
      rule.latency = absl::Milliseconds(latency_ms);
      sim_->server().faults().Add(rule);
    }
    ferry::http::HttpClientOptions client;
    client.system = "pagerduty";
    client.authorization = "Token token=bot";
    client.secrets = {"bot"};
    client.observer = &counter_;
    auto made = ferry::http::HttpClient::Create(std::move(client));
    if (!made.ok()) Die(made.status());
    api_ = std::make_shared<const ferry::pagerduty::PdApi>(*std::move(made), base_url_, "");
    std::shared_ptr<ferry::pagerduty::AccountLog> log;
    if (shared) {
      ferry::pagerduty::AccountLogOptions options;
      options.now = [this] { return clock_; };
      log = std::make_shared<ferry::pagerduty::AccountLog>(api_, options);
    }
    auto identity = std::make_shared<ferry::pagerduty::PdIdentity>(api_);
    for (int i = 0; i < services; ++i) {
      ferry::pagerduty::PdReaderOptions reader;
      reader.system = "pd";
      reader.reader.project = ServiceId(i);
      reader.window_entries = absl::GetFlag(FLAGS_window_entries);
      reader.now = [this] { return clock_; };
      reader.account_log = log;
      reader.reader.fields_read = fields_read;
      auto created = ferry::pagerduty::PdReader::Create(api_, identity, reader);
      if (!created.ok()) Die(created.status());
      readers_.push_back(*std::move(created));
    }
    ferry::v1::SourcePosition position;
    *position.mutable_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
        absl::ToUnixSeconds(start_ - absl::Minutes(61)));
    positions_.assign(readers_.size(), position);
    since_ = start_ - absl::Minutes(61) - absl::Minutes(2);  // The reader's overlap.
  }
  ~Scenario() {
    readers_.clear();
    api_.reset();
    sim_->Stop();
  }

  // Reads from the checkpoint to now; the changes read, the calls made and
  // the seconds taken.
  struct Result {
    int changes = 0;
    int calls = 0;
    double seconds = 0;
  };
  // Of the first reader (PS1's).
  Result ReadToNow() {
    counter_.Take();
    clock_ = absl::Now();
    Result result;
    const absl::Time started = absl::Now();
    while (ReadOnce(0, &result)) {
    }
    result.seconds = absl::ToDoubleSeconds(absl::Now() - started);
    result.calls = counter_.Take();
    return result;
  }

  // One poll `interval` after the last (the simulator's clock moves on by
  // it, so the entries it logs are stamped with the readers' time): every
  // reader reads once, one after the other (as the readers a shared fetch
  // wakes do); the calls made.
  Result PollAll(absl::Duration interval) {
    counter_.Take();
    sim_->server().clock().Advance(interval);
    clock_ = sim_->server().clock().Now();
    Result result;
    const absl::Time started = absl::Now();
    for (size_t i = 0; i < readers_.size(); ++i) ReadOnce(i, &result);
    result.seconds = absl::ToDoubleSeconds(absl::Now() - started);
    result.calls = counter_.Take();
    return result;
  }

  // A person opens an incident on service `i` (not counted).
  void NewIncident(int i) {
    auto posted = admin_->Post(
        "/incidents",
        {{"Authorization", "Token token=person"},
         {"Accept", "application/vnd.pagerduty+json;version=2"},
         {"From", "person@example.com"}},
        nlohmann::json({{"incident",
                         {{"type", "incident"},
                          {"title", "bench"},
                          {"service", {{"id", ServiceId(i)}, {"type", "service_reference"}}}}}})
            .dump(),
        "application/json");
    if (!posted || posted->status >= 300) {
      Die(absl::UnavailableError(
          absl::StrCat("opening an incident: ", posted ? posted->body : "no response")));
    }
  }

  // Log entries from the reader's first window start to now (not counted).
  int LogEntriesSince(absl::Time since) {
    auto res = admin_->Get(
        absl::StrCat("/log_entries?total=true&limit=1&since=", FormatPdTime(since)),
        {{"Authorization", "Token token=bot"}});
    if (!res || res->status != 200) Die(absl::UnavailableError("counting log entries"));
    return nlohmann::json::parse(res->body)["total"].get<int>();
  }

  // The person adds a note to each of the first `count` incidents.
  void AddNotes(int count) {
    std::vector<std::string> ids;
    for (int offset = 0; static_cast<int>(ids.size()) < count; offset += 100) {
      auto page = admin_->Get(
          absl::StrCat("/incidents?date_range=all&limit=100&sort_by=created_at&offset=", offset),
          {{"Authorization", "Token token=bot"}});
      if (!page || page->status != 200) Die(absl::UnavailableError("listing incidents"));
      auto json = nlohmann::json::parse(page->body);
      for (const auto& incident : json["incidents"]) ids.push_back(incident["id"]);
      if (!json.value("more", false)) break;
    }
    for (int i = 0; i < count && i < static_cast<int>(ids.size()); ++i) {
      auto posted = admin_->Post(
          absl::StrCat("/incidents/", ids[i], "/notes"),
          {{"Authorization", "Token token=person"},
           {"Accept", "application/vnd.pagerduty+json;version=2"}},
          nlohmann::json({{"note", {{"content", "looking"}}}}).dump(), "application/json");
      if (!posted || posted->status != 200) {
        Die(absl::UnavailableError(
            absl::StrCat("adding a note: ", posted ? posted->body : "no response")));
      }
    }
  }

  // A monitoring tool opens `count` incidents through POST /v2/enqueue,
  // kEventsPerKey per integration, each with custom details.
  void TriggerEvents(int count) {
    for (int i = 0; i < count; ++i) {
      nlohmann::json event = {
          {"routing_key", RoutingKey(i / kEventsPerKey)},
          {"event_action", "trigger"},
          {"dedup_key", absl::StrCat("bench/", i)},
          {"payload",
           {{"summary", absl::StrCat("bench alert ", i)},
            {"source", absl::StrCat("host-", i)},
            {"severity", "error"},
            {"custom_details", {{"disk", "/var"}, {"used", "97%"}}}}}};
      auto sent = admin_->Post("/v2/enqueue", event.dump(), "application/json");
      if (!sent || sent->status != 202) {
        Die(absl::UnavailableError(
            absl::StrCat("sending an event: ", sent ? sent->body : "no response")));
      }
    }
  }

  absl::Time since() const { return since_; }

 private:
  // One read by reader `i` from its position, added to *result; whether it
  // stopped at max_changes.
  bool ReadOnce(size_t i, Result* result) {
    auto page = readers_[i]->ReadChanges(positions_[i], 500);
    if (!page.ok()) Die(page.status());
    result->changes += static_cast<int>(page->changes.size());
    if (!page->changes.empty()) positions_[i] = page->changes.back().position();
    if (page->scanned_to.has_value()) positions_[i] = *page->scanned_to;
    return page->more;
  }

  static void Die(const absl::Status& status) {
    std::fprintf(stderr, "pd_reader_bench: %s\n", std::string(status.message()).c_str());
    std::exit(1);
  }

  const absl::Time start_;
  // The readers' "now": the wall clock, or later for the polls.
  absl::Time clock_;
  absl::Time since_;
  std::unique_ptr<ferry::pagerduty_sim::PagerDutySim> sim_;
  std::unique_ptr<httplib::Client> admin_;
  std::string base_url_;
  CallCounter counter_;
  std::shared_ptr<const ferry::pagerduty::PdApi> api_;
  std::vector<std::unique_ptr<ferry::engine::ChangeReader>> readers_;
  std::vector<ferry::v1::SourcePosition> positions_;
};

int Pages(int entries) { return (entries + kPageSize - 1) / kPageSize; }

void PrintRow(const std::string& scenario, int expected, const Scenario::Result& read,
              int minimum) {
  std::printf("| %-26s | %7d | %6d | %7d | %9.2f | %9.3f | %9.1f |\n", scenario.c_str(),
              read.changes, read.calls, minimum, static_cast<double>(read.calls) / minimum,
              static_cast<double>(read.calls) / read.changes, read.changes / read.seconds);
  if (read.changes != expected) {
    std::printf("  !! read %d changes, expected %d\n", read.changes, expected);
  }
}

// Reads `incidents` new incidents with `latency_ms`; prints one table row
// and returns the incidents read per second.
double NewIncidentsRow(int incidents, int latency_ms) {
  Scenario scenario(incidents, latency_ms);
  const int entries = scenario.LogEntriesSince(scenario.since());
  const Scenario::Result read = scenario.ReadToNow();
  const int minimum = 1 + Pages(entries) + Pages(incidents);
  PrintRow(absl::StrCat("new incidents, ", latency_ms, " ms"), incidents, read, minimum);
  return read.changes / read.seconds;
}

// Reads `incidents` incidents opened by monitoring-tool events; prints one
// table row.
void EventIncidentsRow(int incidents) {
  Scenario scenario(0, 0, 1, false, (incidents + kEventsPerKey - 1) / kEventsPerKey);
  scenario.TriggerEvents(incidents);
  const int entries = scenario.LogEntriesSince(scenario.since());
  const Scenario::Result read = scenario.ReadToNow();
  PrintRow("event incidents, 0 ms", incidents, read,
           1 + Pages(entries) + Pages(incidents));
}

// Reads `notes` notes added to existing incidents; prints one table row.
void NotesRow(int incidents, int notes) {
  Scenario scenario(incidents, 0);
  scenario.ReadToNow();
  const absl::Time before = absl::Now() - absl::Seconds(1);
  scenario.AddNotes(notes);
  // The reader's next window starts its overlap (2 minutes) before `before`.
  const int entries = scenario.LogEntriesSince(before - absl::Minutes(2));
  const Scenario::Result read = scenario.ReadToNow();
  PrintRow("notes on old incidents", notes, read, Pages(entries) + 2 * notes);
}

// Calls per poll of `services` readers over --polls polls 5 s apart,
// idle and then with one new incident per poll (on a different service
// each time), shared or each alone: {idle calls per poll, calls per change}.
// The readers' mapping reads Title, Status and Priority, so the log's
// incidents answer for them.
std::pair<double, double> PollCosts(int services, bool shared) {
  Scenario scenario(0, 0, services, shared, 0,
                    std::set<std::string>{"Title", "Status", "Priority"});
  scenario.PollAll(absl::Seconds(5));  // catches up; names the integration user
  const int polls = absl::GetFlag(FLAGS_polls);
  int idle = 0;
  for (int i = 0; i < polls; ++i) idle += scenario.PollAll(absl::Seconds(5)).calls;
  int busy = 0;
  int changes = 0;
  for (int i = 0; i < polls; ++i) {
    scenario.NewIncident(i % services);
    const Scenario::Result read = scenario.PollAll(absl::Seconds(5));
    busy += read.calls;
    changes += read.changes;
  }
  if (changes != polls) std::printf("  !! read %d changes, expected %d\n", changes, polls);
  return {static_cast<double>(idle) / polls, static_cast<double>(busy) / std::max(changes, 1)};
}

void SharedLogRows() {
  std::printf(
      "\n| services | idle calls/poll, shared | alone (baseline) | minimum | shared/min "
      "| calls/change, shared | alone | minimum | shared/min |\n"
      "|---|---|---|---|---|---|---|---|---|\n");
  for (int services : {1, 10, 50}) {
    const auto [shared_idle, shared_change] = PollCosts(services, true);
    const auto [alone_idle, alone_change] = PollCosts(services, false);
    // Per poll: one /log_entries for the account; per change: that poll's
    // log call, which carries the new incident (include[]=incidents).
    std::printf("| %d | %.2f | %.2f | 1 | %.2f | %.2f | %.2f | 1 | %.2f |\n", services,
                shared_idle, alone_idle, shared_idle, shared_change, alone_change,
                shared_change);
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::printf(
      "| scenario                   | changes |  calls | minimum | calls/min | calls/chg | "
      "changes/s |\n|---|---|---|---|---|---|---|\n");
  const double fast = NewIncidentsRow(absl::GetFlag(FLAGS_incidents), 0);
  const double slow =
      NewIncidentsRow(absl::GetFlag(FLAGS_slow_incidents), absl::GetFlag(FLAGS_latency_ms));
  NotesRow(absl::GetFlag(FLAGS_incidents), absl::GetFlag(FLAGS_notes));
  SharedLogRows();
  EventIncidentsRow(absl::GetFlag(FLAGS_event_incidents));
  std::printf(
      "\nwindow_entries %d; incidents/s with %d ms latency / with 0 ms: %.3f\n"
      "minimum = 1 /users/me (first read only) + ceil(log entries in the read range / 100) "
      "+ ceil(new incidents / 100) /incidents pages + per changed old incident 1 GET "
      "/incidents/{id} (+1 GET .../notes when the change is a note)\n",
      absl::GetFlag(FLAGS_window_entries), absl::GetFlag(FLAGS_latency_ms), slow / fast);
  return 0;
}
