#include "connectors/pagerduty/testing/push_pipeline.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "connectors/fake/fake_system.h"
#include "connectors/pagerduty/pd_connector.h"
#include "connectors/pagerduty/pd_webhook_receiver.h"
#include "engine/config/loader.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace ferry::pagerduty {
namespace {

constexpr char kConfig[] = R"(
systems:
  - name: pd
    kind: pagerduty
    url: "http://127.0.0.1:@SIM_PORT@"
    token: {env: FERRY_PUSH_PD_TOKEN}
    user_email: ferry-bot@example.com
    requests_per_minute: 100000
    options:
      webhook_listen: "127.0.0.1:@HOOK_PORT@"
      webhook_secret_file: "@DIR@/webhook-secret"
  - {name: dst, kind: fake, url: "file://@DIR@/dst", token: {env: FERRY_PUSH_FAKE_TOKEN}, user_email: ferry}
mappings:
  - name: incidents
    source_type: incident
    target_type: Task
    fields:
      - {source: Title, target: Title}
integrations:
  - name: push
    source: {system: pd, projects: [PSVCWEB]}
    target: {system: dst, projects: [DST]}
    mapping: incidents
    poll_interval: 3600s
server:
  state_dir: "@DIR@/state"
)";

// A port of 127.0.0.1 that was free a moment ago: the subscription names
// its URL before the pipeline, which needs the subscription's secret, can
// listen.
absl::StatusOr<int> FreePort() {
  PdWebhookReceiverOptions probe;
  probe.listen = "127.0.0.1:0";
  probe.secret = "placeholder";
  auto receiver = PdWebhookReceiver::Start(probe);
  if (!receiver.ok()) return receiver.status();
  return (*receiver)->port();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PushPipeline>> PushPipeline::Start(int sim_port,
                                                                  const std::string& dir) {
  std::unique_ptr<PushPipeline> push(new PushPipeline(sim_port, dir));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  setenv("FERRY_PUSH_PD_TOKEN", "account-full", 1);
  setenv("FERRY_PUSH_FAKE_TOKEN", "fake", 1);
  absl::Status subscribed = push->Subscribe();
  if (!subscribed.ok()) return subscribed;
  absl::Status started = push->StartPipeline();
  if (!started.ok()) return started;
  return push;
}

absl::Status PushPipeline::Subscribe() {
  auto port = FreePort();
  if (!port.ok()) return port.status();
  hook_port_ = *port;
  httplib::Client sim("127.0.0.1", sim_port_);
  auto limit = sim.Put("/admin/rate_limit", R"({"limit": 100000, "window_seconds": 60})",
                       "application/json");
  if (!limit || limit->status != 200) return absl::InternalError("cannot lift the rate limit");
  const nlohmann::json body = {
      {"webhook_subscription",
       {{"type", "webhook_subscription"},
        {"events", {"incident.triggered", "incident.acknowledged", "incident.resolved"}},
        {"filter", {{"type", "service_reference"}, {"id", "PSVCWEB"}}},
        {"delivery_method",
         {{"type", "http_delivery_method"},
          {"url", absl::StrCat("http://127.0.0.1:", hook_port_, "/pagerduty/webhook")}}}}}};
  auto res = sim.Post("/webhook_subscriptions",
                      {{"Authorization", "Token token=account-full"},
                       {"Accept", "application/vnd.pagerduty+json;version=2"}},
                      body.dump(), "application/json");
  if (!res || res->status != 200) {
    return absl::InternalError(
        absl::StrCat("subscribing failed: ", res ? res->body : httplib::to_string(res.error())));
  }
  const nlohmann::json created = nlohmann::json::parse(res->body, nullptr, false);
  std::ofstream(dir_ + "/webhook-secret")
      << created["webhook_subscription"]["delivery_method"].value("secret", "") << "\n";
  return absl::OkStatus();
}

absl::Status PushPipeline::StartPipeline() {
  const std::string yaml = absl::StrReplaceAll(
      kConfig, {{"@SIM_PORT@", std::to_string(sim_port_)},
                {"@HOOK_PORT@", std::to_string(hook_port_)},
                {"@DIR@", dir_}});
  config::ValidationOptions validation;
  validation.system_kinds = {"pagerduty", "fake"};
  const config::LoadedConfig loaded = config::LoadConfigText(yaml, "push.yaml", validation);
  if (!loaded.ok()) {
    return absl::InvalidArgumentError(config::FormatProblem(loaded.problems.front()));
  }
  engine::EmbeddedPipeline::Options options;
  options.state_dir = dir_ + "/state";
  options.http_observer = &metrics_;
  auto pipeline = engine::EmbeddedPipeline::Create(loaded.config, options);
  if (!pipeline.ok()) return pipeline.status();
  pipeline_ = *std::move(pipeline);
  pipeline_->Start();
  return absl::OkStatus();
}

absl::Status PushPipeline::Restart() {
  pipeline_.reset();
  return StartPipeline();
}

absl::StatusOr<int> PushPipeline::WebhookPort() {
  return ::ferry::pagerduty::WebhookPort(*pipeline_->connector("pd"));
}

bool PushPipeline::WaitForFirstPolls(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    bool all = true;
    for (engine::PartitionReader* reader : pipeline_->Readers("push")) {
      all = all && reader->GetStatus().last_poll != absl::InfinitePast();
    }
    if (all) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

bool PushPipeline::HasTask(const std::string& title) const {
  auto dst = fake::FakeSystem::Open(dir_ + "/dst");
  if (!dst.ok()) return false;
  auto changed = dst->ChangedAfter("DST", 0);
  if (!changed.ok()) return false;
  for (const fake::FakeEntity& task : *changed) {
    auto it = task.entity().fields().find("Title");
    if (it != task.entity().fields().end() && it->second.text() == title) return true;
  }
  return false;
}

bool PushPipeline::WaitForTask(const std::string& title, absl::Duration timeout,
                               absl::Duration every) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (!HasTask(title)) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(every);
  }
  return true;
}

}  // namespace ferry::pagerduty
