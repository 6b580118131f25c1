// Benchmark (not a test): how soon a PagerDuty change reaches the other
// side in push mode. A pagerduty_sim webhook subscription wakes an
// EmbeddedPipeline whose reader polls only hourly (PushPipeline); each
// sample creates an incident and times until its Task exists in the fake
// target.
//
//   bazel run -c opt --force_pic //tools/bench:pagerduty_push_bench -- [samples]
//
// Known problem, not yet diagnosed, hence --force_pic: linked from the
// non-PIC -c opt objects, the binary prints its figures but then aborts
// tearing the EmbeddedPipeline down (heap corruption; valgrind shows
// ChangeApplier's constructor writing past the block WriterStage::Create
// allocated). With --force_pic, in fastbuild, and in the opt
// //tests/engine:pipeline_test (PIC) it runs clean.
//
// Baseline, interleaved with the samples: with the subscription
// deactivated, the same change read because the reader is woken directly
// (SyncNow) right after the incident is created; the difference is the
// webhook's own cost (the simulator's 20 ms dispatch loop, the signed
// POST, the receiver).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "connectors/pagerduty/testing/push_pipeline.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/pagerduty_sim/pagerduty_sim.h"
#include "tools/pagerduty_sim/seed.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace {

using Clock = std::chrono::steady_clock;

void Die(const std::string& what) {
  std::fprintf(stderr, "pagerduty_push_bench: %s\n", what.c_str());
  std::exit(1);
}

// Creates an incident titled `title` on PSVCWEB as ada.
void CreateIncident(httplib::Client& sim, const std::string& title) {
  const nlohmann::json body = {
      {"incident",
       {{"type", "incident"},
        {"title", title},
        {"service", {{"id", "PSVCWEB"}, {"type", "service_reference"}}}}}};
  auto res = sim.Post("/incidents",
                      {{"Authorization", "Token token=account-full"},
                       {"Accept", "application/vnd.pagerduty+json;version=2"},
                       {"From", "ada@example.com"}},
                      body.dump(), "application/json");
  if (!res || res->status != 201) Die("creating an incident failed");
}

// Turns every webhook subscription on or off.
void SetWebhooksActive(httplib::Client& sim, bool active) {
  const httplib::Headers headers = {{"Authorization", "Token token=account-full"},
                                    {"Accept", "application/vnd.pagerduty+json;version=2"}};
  auto list = sim.Get("/webhook_subscriptions", headers);
  if (!list || list->status != 200) Die("listing webhook subscriptions failed");
  const nlohmann::json body = {{"webhook_subscription", {{"active", active}}}};
  for (const auto& s : nlohmann::json::parse(list->body)["webhook_subscriptions"]) {
    auto res = sim.Put("/webhook_subscriptions/" + s["id"].get<std::string>(), headers,
                       body.dump(), "application/json");
    if (!res || res->status != 200) Die("updating a subscription failed");
  }
}

// Times one change, from the create call to the Task in the target;
// `after_create` runs right after the create.
template <typename AfterCreate>
double Sample(ferry::pagerduty::PushPipeline& push, httplib::Client& sim,
              const std::string& title, AfterCreate after_create) {
  const auto start = Clock::now();
  CreateIncident(sim, title);
  after_create();
  if (!push.WaitForTask(title, absl::Seconds(30), absl::Milliseconds(10))) {
    Die(absl::StrCat("'", title, "' never reached the target"));
  }
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void Report(const char* what, std::vector<double> millis) {
  std::sort(millis.begin(), millis.end());
  auto at = [&](double q) { return millis[static_cast<size_t>(q * (millis.size() - 1))]; };
  std::printf("%-44s n=%zu  median %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n",
              what, millis.size(), at(0.5), at(0.9), at(0.99), millis.back());
}

}  // namespace

int main(int argc, char** argv) {
  const int samples = argc > 1 ? std::atoi(argv[1]) : 50;
  auto state = ferry::pagerduty_sim::StateFromSeed(ferry::pagerduty_sim::TestSeed(),
                                                   absl::Now());
  if (!state.ok()) Die(std::string(state.status().message()));
  ferry::pagerduty_sim::PagerDutySim pd(ferry::simcore::SimServerOptions{}, *std::move(state));
  auto port = pd.Start();
  if (!port.ok()) Die(std::string(port.status().message()));
  httplib::Client sim("127.0.0.1", *port);

  char dir_template[] = "/tmp/ferry-push-bench-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) Die("mkdtemp failed");
  auto push = ferry::pagerduty::PushPipeline::Start(*port, dir_template);
  if (!push.ok()) Die(std::string(push.status().message()));
  if (!(*push)->WaitForFirstPolls(absl::Seconds(30))) Die("the first poll never ended");

  auto readers = (*push)->pipeline().Readers("push");
  std::vector<double> pushed, woken;
  for (int i = 0; i < samples; ++i) {
    pushed.push_back(Sample(**push, sim, absl::StrCat("pushed ", i), [] {}));
    SetWebhooksActive(sim, false);
    woken.push_back(Sample(**push, sim, absl::StrCat("woken ", i), [&] {
      for (auto* reader : readers) reader->SyncNow();
    }));
    SetWebhooksActive(sim, true);
  }
  Report("push: webhook wakes the reader (poll 1h)", pushed);
  Report("baseline: reader woken directly (no webhook)", woken);
  push->reset();
  pd.Stop();
  std::filesystem::remove_all(dir_template);
  return 0;
}
