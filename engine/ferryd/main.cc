// ferryd: runs Ferry until SIGTERM or SIGINT. With --config alone it runs
// every stage of the config in this process (the embedded default), with
// the control API and metrics, and SIGHUP reloads the config; with --stage
// it runs one stage, so each scales on its own
// (engine/ferryd/stage_process.h).
#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "engine/common/log.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "engine/control/control_server.h"
#include "engine/ferryd/pipeline.h"
#include "engine/ferryd/stage_process.h"
#include "engine/metrics/http_metrics.h"
#include "engine/metrics/pipeline_collector.h"
#include "engine/stages/shutdown.h"
#include "prometheus/exposer.h"

ABSL_FLAG(std::string, config, "", "The YAML config to run (required).");
ABSL_FLAG(std::string, state_dir, "",
          "Directory of the RocksDB state; overrides server.state_dir.");
ABSL_FLAG(int, batch_size, 100, "Changes per batch on the stage streams.");
ABSL_FLAG(int, window, 8, "Batches in flight per stream.");
ABSL_FLAG(std::string, control_listen, "",
          "Address of the control API; overrides server.control_listen "
          "(port 0 picks a free port, logged at start).");
ABSL_FLAG(std::string, metrics_listen, "",
          "Address of the Prometheus /metrics endpoint; overrides "
          "server.metrics_listen.");
ABSL_FLAG(std::string, stage, "all",
          "all (embedded), or one of reader, transformer, writer.");
ABSL_FLAG(std::string, listen, "",
          "Address a transformer or writer stage serves on (port 0 picks a "
          "free port, logged at start). Optional for a reader, which then "
          "serves only the gRPC health service.");
ABSL_FLAG(std::vector<std::string>, downstream, {},
          "The next stage: a reader's transformer, or a transformer's writer "
          "shards in shard order.");
ABSL_FLAG(int, shard, 0, "This reader's or writer's shard, from 0.");
ABSL_FLAG(int, shards, 1, "How many shards of this stage run.");
ABSL_FLAG(bool, sync_writes, false,
          "fsync every state write (survives power loss, not only crashes).");

namespace {

constexpr char kDefaultControlListen[] = "127.0.0.1:7400";
constexpr char kDefaultMetricsListen[] = "127.0.0.1:9464";

// SIGTERM and SIGINT (stop) and SIGHUP (reload), taken by sigwait rather
// than handlers. Blocked first thing, so a signal during start-up waits its
// turn instead of killing the process half way.
sigset_t ControlSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  return signals;
}

// Reads and validates the config, secrets included.
ferry::config::LoadedConfig LoadConfig(const std::string& path) {
  ferry::config::ValidationOptions options;
  options.system_kinds = ferry::engine::ConnectorRegistry::Kinds();
  options.check_secrets = true;
  return ferry::config::LoadConfigFile(path, options);
}

std::string StateDir(const ferry::v1::FerryConfig& config) {
  std::string dir = absl::GetFlag(FLAGS_state_dir);
  if (dir.empty()) dir = config.server().state_dir();
  return dir.empty() ? "ferry-state" : dir;
}

// Blocks until one of ControlSignals() arrives; returns it.
int WaitForSignal() {
  const sigset_t signals = ControlSignals();
  int signal = 0;
  sigwait(&signals, &signal);
  ferry::log::Info(signal == SIGHUP ? "ferryd.reloading" : "ferryd.stopping",
                   {{"signal", signal}});
  return signal;
}

int RunStage(const ferry::v1::FerryConfig& config, const std::string& state_dir) {
  ferry::engine::StageOptions options;
  options.stage = absl::GetFlag(FLAGS_stage);
  options.listen = absl::GetFlag(FLAGS_listen);
  options.downstream = absl::GetFlag(FLAGS_downstream);
  options.shard = {absl::GetFlag(FLAGS_shard), absl::GetFlag(FLAGS_shards)};
  options.state_dir = state_dir;
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.window = absl::GetFlag(FLAGS_window);
  options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  // Metrics only when asked for: several stage processes share a host.
  const std::string metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  ferry::engine::HttpMetrics http_metrics;
  if (!metrics_listen.empty()) options.http_observer = &http_metrics;
  if (options.shard.count < 1 || options.shard.index < 0 ||
      options.shard.index >= options.shard.count) {
    std::fprintf(stderr, "ferryd: --shard must be in [0, --shards)\n");
    return 2;
  }
  auto process = ferry::engine::StageProcess::Start(config, options);
  if (!process.ok()) {
    ferry::log::Error("ferryd.start_failed", {{"stage", options.stage},
                                              {"error", process.status().message()}});
    return 1;
  }
  std::shared_ptr<ferry::engine::PipelineCollector> collector;
  std::unique_ptr<prometheus::Exposer> exposer;
  int metrics_port = 0;
  if (!metrics_listen.empty()) {
    ferry::engine::StageProcess* stage = process->get();
    collector = std::make_shared<ferry::engine::PipelineCollector>(
        [stage] { return stage->Readers(); }, stage->writer_service(),
        stage->IntegrationNames());
    try {
      exposer = std::make_unique<prometheus::Exposer>(metrics_listen);
    } catch (const std::exception& e) {
      ferry::log::Error("ferryd.start_failed",
                        {{"error", std::string("cannot serve metrics on ") + metrics_listen +
                                       ": " + e.what()}});
      return 1;
    }
    exposer->RegisterCollectable(collector);
    exposer->RegisterCollectable(http_metrics.registry());
    metrics_port = exposer->GetListeningPorts().front();
  }
  ferry::log::Info("ferryd.started", {{"stage", options.stage},
                                      {"port", (*process)->port()},
                                      {"metrics_port", metrics_port},
                                      {"shard", options.shard.index},
                                      {"shards", options.shard.count},
                                      {"state_dir", state_dir}});
  while (WaitForSignal() == SIGHUP) {
    ferry::log::Warn("ferryd.reload_unsupported",
                     {{"stage", options.stage},
                      {"fix", "restart the stage process to apply a new config"}});
  }
  exposer.reset();
  process->reset();
  ferry::log::Info("ferryd.stopped");
  return 0;
}

// Everything the embedded mode runs for one config.
struct Embedded {
  std::unique_ptr<ferry::engine::EmbeddedPipeline> pipeline;
  ferry::engine::ControlServer control;
  std::shared_ptr<ferry::engine::PipelineCollector> collector;
  std::unique_ptr<prometheus::Exposer> exposer;

  ~Embedded() {
    if (control.server != nullptr) ferry::engine::ShutdownServer(*control.server);
    exposer.reset();
    pipeline.reset();
  }
};

// `http_metrics` outlives what this returns.
absl::StatusOr<std::unique_ptr<Embedded>> StartEmbedded(
    const ferry::v1::FerryConfig& config, const std::string& state_dir,
    ferry::engine::HttpMetrics* http_metrics) {
  auto embedded = std::make_unique<Embedded>();
  ferry::engine::EmbeddedPipeline::Options pipeline_options;
  pipeline_options.state_dir = state_dir;
  pipeline_options.batch_size = absl::GetFlag(FLAGS_batch_size);
  pipeline_options.window = absl::GetFlag(FLAGS_window);
  pipeline_options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  pipeline_options.http_observer = http_metrics;
  auto pipeline = ferry::engine::EmbeddedPipeline::Create(config, pipeline_options);
  if (!pipeline.ok()) return pipeline.status();
  embedded->pipeline = *std::move(pipeline);

  std::string listen = absl::GetFlag(FLAGS_control_listen);
  if (listen.empty()) listen = config.server().control_listen();
  if (listen.empty()) listen = kDefaultControlListen;
  auto control = ferry::engine::StartControlServer(config.server(), listen,
                                                   embedded->pipeline.get());
  if (!control.ok()) return control.status();
  embedded->control = *std::move(control);

  std::string metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  if (metrics_listen.empty()) metrics_listen = config.server().metrics_listen();
  if (metrics_listen.empty()) metrics_listen = kDefaultMetricsListen;
  try {
    embedded->exposer = std::make_unique<prometheus::Exposer>(metrics_listen);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        std::string("cannot serve metrics on ") + metrics_listen + ": " + e.what());
  }
  // The exposer keeps a weak pointer; `embedded` keeps the collector.
  auto* pipeline_ptr = embedded->pipeline.get();
  embedded->collector = std::make_shared<ferry::engine::PipelineCollector>(
      [pipeline_ptr] { return pipeline_ptr->Readers(""); },
      &pipeline_ptr->writer_service(), pipeline_ptr->IntegrationNames());
  embedded->exposer->RegisterCollectable(embedded->collector);
  embedded->exposer->RegisterCollectable(http_metrics->registry());
  embedded->pipeline->Start();
  return embedded;
}

// Runs the config at `path` until SIGTERM or SIGINT. SIGHUP reloads it:
// a config with problems is refused (they are logged) and the running one
// stays; a valid one replaces it within this process. State is durable, so
// the changes in flight are read again and nothing is lost.
int RunEmbedded(ferry::v1::FerryConfig config, const std::string& path,
                const std::string& state_dir) {
  // API call counts outlive each reload's pipeline.
  ferry::engine::HttpMetrics http_metrics;
  auto running = StartEmbedded(config, state_dir, &http_metrics);
  while (true) {
    if (!running.ok()) {
      ferry::log::Error("ferryd.start_failed", {{"error", running.status().message()}});
      return 1;
    }
    ferry::log::Info("ferryd.started",
                     {{"config", path},
                      {"state_dir", state_dir},
                      {"integrations", config.integrations_size()},
                      {"control_port", (*running)->control.port},
                      {"metrics_port", (*running)->exposer->GetListeningPorts().front()}});
    if (WaitForSignal() != SIGHUP) break;
    const auto loaded = LoadConfig(path);
    if (!loaded.ok()) {
      nlohmann::json problems = nlohmann::json::array();
      for (const auto& problem : loaded.problems) {
        problems.push_back(ferry::config::FormatProblem(problem));
      }
      ferry::log::Error("ferryd.reload_refused",
                        {{"config", path}, {"problems", problems}});
      continue;
    }
    running->reset();
    running = StartEmbedded(loaded.config, state_dir, &http_metrics);
    if (running.ok()) {
      config = loaded.config;
      ferry::log::Info("ferryd.reloaded", {{"config", path}});
    } else {
      // The new config is valid but cannot run (a port in use, say): go on
      // with the one that ran.
      ferry::log::Error("ferryd.reload_failed",
                        {{"config", path}, {"error", running.status().message()}});
      running = StartEmbedded(config, state_dir, &http_metrics);
    }
  }
  running->reset();
  ferry::log::Info("ferryd.stopped");
  return 0;
}

int Run() {
  using ferry::config::FormatProblem;
  const std::string path = absl::GetFlag(FLAGS_config);
  if (path.empty()) {
    std::fprintf(stderr, "ferryd: --config FILE is required\n");
    return 2;
  }
  const auto loaded = LoadConfig(path);
  if (!loaded.ok()) {
    for (const auto& problem : loaded.problems) {
      std::fprintf(stderr, "%s\n", FormatProblem(problem).c_str());
    }
    std::fprintf(stderr, "ferryd: %zu problem(s) in %s; nothing started\n",
                 loaded.problems.size(), path.c_str());
    return 2;
  }

  const std::string state_dir = StateDir(loaded.config);
  if (absl::GetFlag(FLAGS_stage) != "all") return RunStage(loaded.config, state_dir);
  return RunEmbedded(loaded.config, path, state_dir);
}

}  // namespace

int main(int argc, char** argv) {
  const sigset_t signals = ControlSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  absl::SetProgramUsageMessage(
      "Runs Ferry's sync pipeline.\n  ferryd --config ferry.yaml");
  absl::ParseCommandLine(argc, argv);
  return Run();
}
