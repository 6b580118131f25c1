// ferryd: runs Ferry until SIGTERM or SIGINT. With --config alone it runs
// every stage of the config in this process (the embedded default), with
// the control API and metrics; with --stage it runs one stage, so each
// scales on its own (engine/runtime/stage_process.h), with the control API
// and metrics only when --control_listen and --metrics_listen ask for them.
// In both modes SIGHUP reloads the config (engine/runtime/reload_loop.h); a
// restarted stage serves again on the ports it had, so the stages upstream
// reconnect to it.
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
#include "engine/runtime/pipeline.h"
#include "engine/runtime/pipeline_view.h"
#include "engine/runtime/reload_loop.h"
#include "engine/runtime/stage_process.h"
#include "engine/metrics/http_metrics.h"
#include "engine/metrics/metrics_endpoint.h"
#include "engine/metrics/pipeline_collector.h"
#include "engine/stages/shutdown.h"
#include "nlohmann/json.hpp"
#include "prometheus/exposer.h"
#include "tools/version/version.h"

ABSL_FLAG(std::string, config, "", "The YAML config to run (required).");
ABSL_FLAG(std::string, state_dir, "",
          "Directory of the RocksDB state; overrides server.state_dir.");
ABSL_FLAG(int, batch_size, 100, "Changes per batch on the stage streams.");
ABSL_FLAG(int, window, 8, "Batches in flight per stream.");
ABSL_FLAG(std::string, control_listen, "",
          "Address of the control API (ferryctl); overrides "
          "server.control_listen (port 0 picks a free port, logged at start). "
          "A stage serves it only when this is given: a reader answers "
          "status, sync-now, pause, resume and backfill; a writer answers "
          "status, failures and links.");
ABSL_FLAG(std::string, metrics_listen, "",
          "Address of the Prometheus /metrics endpoint; overrides "
          "server.metrics_listen. A stage serves it only when this is given.");
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
ABSL_FLAG(std::string, log_format, "json",
          "json (one object a line, for log collectors) or text (for a "
          "person at a terminal); connectors' lines share it.");
ABSL_FLAG(std::string, log_level, "info",
          "Lowest level logged: debug, info, warn or error. debug adds a "
          "line per poll of each reader.");
ABSL_FLAG(bool, sync_writes, false,
          "fsync every state write (survives power loss, not only crashes).");

namespace {

using ferry::engine::ControlServer;
using ferry::engine::PipelineCollector;
using ferry::engine::PipelineView;

constexpr char kDefaultControlListen[] = "127.0.0.1:7400";
constexpr char kDefaultMetricsListen[] = "127.0.0.1:9464";

std::string StateDir(const ferry::v1::FerryConfig& config) {
  std::string dir = absl::GetFlag(FLAGS_state_dir);
  if (dir.empty()) dir = config.server().state_dir();
  return dir.empty() ? "ferry-state" : dir;
}

// The pipeline metrics of what `view` runs; `view` must outlive it.
std::shared_ptr<PipelineCollector> MakeCollector(PipelineView* view) {
  return std::make_shared<PipelineCollector>(
      [view] { return view->Readers(""); }, view->writer_service(),
      view->IntegrationNames());
}

// `listen` ("host:port") with its port replaced by `port`, so that a
// restarted server comes back where the first one was bound even when
// asked for port 0.
std::string WithPort(const std::string& listen, int port) {
  return listen.substr(0, listen.rfind(':') + 1) + std::to_string(port);
}

// Everything stage mode runs for one config: the stage, its control API
// when asked for, and its metrics registered with the process's exposer
// (which outlives reloads, so its port stays).
struct Stage {
  std::unique_ptr<ferry::engine::StageProcess> process;
  ControlServer control;
  prometheus::Exposer* exposer = nullptr;
  std::shared_ptr<PipelineCollector> collector;

  ~Stage() {
    if (control.server != nullptr) ferry::engine::ShutdownServer(*control.server);
    // No scrape reads the process once this returns.
    if (collector != nullptr) exposer->RemoveCollectable(collector);
    process.reset();
  }
};

int RunStage(const ferry::v1::FerryConfig& config, const std::string& path,
             const std::string& state_dir) {
  ferry::engine::StageOptions options;
  options.stage = absl::GetFlag(FLAGS_stage);
  options.listen = absl::GetFlag(FLAGS_listen);
  options.downstream = absl::GetFlag(FLAGS_downstream);
  options.shard = {absl::GetFlag(FLAGS_shard), absl::GetFlag(FLAGS_shards)};
  options.state_dir = state_dir;
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.window = absl::GetFlag(FLAGS_window);
  options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  if (options.shard.count < 1 || options.shard.index < 0 ||
      options.shard.index >= options.shard.count) {
    std::fprintf(stderr, "ferryd: --shard must be in [0, --shards)\n");
    return 2;
  }
  // The control API and metrics only when asked for: several stage
  // processes share a host.
  std::string control_listen = absl::GetFlag(FLAGS_control_listen);
  const std::string metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  // API call counts and the metrics endpoint outlive each reload's stage.
  ferry::engine::HttpMetrics http_metrics;
  std::unique_ptr<prometheus::Exposer> exposer;
  int metrics_port = 0;
  if (!metrics_listen.empty()) {
    options.http_observer = &http_metrics;
    auto served = ferry::engine::ServeMetrics(metrics_listen);
    if (!served.ok()) {
      ferry::log::Error("ferryd.start_failed", {{"error", served.status().message()}});
      return 1;
    }
    exposer = *std::move(served);
    exposer->RegisterCollectable(http_metrics.registry());
    metrics_port = exposer->GetListeningPorts().front();
  }

  std::unique_ptr<Stage> running;
  ferry::engine::Runnable runnable;
  runnable.start = [&](const ferry::v1::FerryConfig& next)
      -> absl::StatusOr<nlohmann::json> {
    auto stage = std::make_unique<Stage>();
    auto process = ferry::engine::StageProcess::Start(next, options);
    if (!process.ok()) return process.status();
    stage->process = *std::move(process);
    if (!control_listen.empty()) {
      auto control = ferry::engine::StartControlServer(
          next.server(), control_listen, stage->process.get());
      if (!control.ok()) return control.status();
      stage->control = *std::move(control);
      control_listen = WithPort(control_listen, stage->control.port);
    }
    if (exposer != nullptr) {
      stage->exposer = exposer.get();
      stage->collector = MakeCollector(stage->process.get());
      exposer->RegisterCollectable(stage->collector);
    }
    // Upstream stages reconnect to the same address after a reload.
    if (stage->process->port() != 0) {
      options.listen = WithPort(options.listen, stage->process->port());
    }
    running = std::move(stage);
    nlohmann::json started{{"stage", options.stage},
                           {"port", running->process->port()},
                           {"control_port", running->control.port},
                           {"metrics_port", metrics_port},
                           {"shard", options.shard.index},
                           {"shards", options.shard.count},
                           {"state_dir", state_dir}};
    if (running->control.server != nullptr) {
      started["control_token_required"] = running->control.requires_token;
    }
    return started;
  };
  runnable.stop = [&] { running.reset(); };
  runnable.stage_streams = true;
  return ferry::engine::RunReloading(config, path, runnable);
}

// Everything the embedded mode runs for one config.
struct Embedded {
  std::unique_ptr<ferry::engine::EmbeddedPipeline> pipeline;
  ControlServer control;
  std::shared_ptr<PipelineCollector> collector;
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
  auto served = ferry::engine::ServeMetrics(metrics_listen);
  if (!served.ok()) return served.status();
  embedded->exposer = *std::move(served);
  // The exposer keeps a weak pointer; `embedded` keeps the collector.
  embedded->collector = MakeCollector(embedded->pipeline.get());
  embedded->exposer->RegisterCollectable(embedded->collector);
  embedded->exposer->RegisterCollectable(http_metrics->registry());
  embedded->pipeline->Start();
  return embedded;
}

// Runs the config at `path`, every stage in this process, until SIGTERM or
// SIGINT, reloading it on SIGHUP (see RunReloading).
int RunEmbedded(const ferry::v1::FerryConfig& config, const std::string& path,
                const std::string& state_dir) {
  // API call counts outlive each reload's pipeline.
  ferry::engine::HttpMetrics http_metrics;
  std::unique_ptr<Embedded> running;
  ferry::engine::Runnable runnable;
  runnable.start = [&](const ferry::v1::FerryConfig& next)
      -> absl::StatusOr<nlohmann::json> {
    auto started = StartEmbedded(next, state_dir, &http_metrics);
    if (!started.ok()) return started.status();
    running = *std::move(started);
    return nlohmann::json{
        {"state_dir", state_dir},
        {"control_port", running->control.port},
        {"control_token_required", running->control.requires_token},
        {"metrics_port", running->exposer->GetListeningPorts().front()}};
  };
  runnable.stop = [&] { running.reset(); };
  return ferry::engine::RunReloading(config, path, runnable);
}

// Applies --log_format and --log_level; false (after saying why) when
// either names no known value.
bool ConfigureLog() {
  const auto format = ferry::log::ParseFormat(absl::GetFlag(FLAGS_log_format));
  const auto level = ferry::log::ParseLevel(absl::GetFlag(FLAGS_log_level));
  for (const absl::Status& status : {format.status(), level.status()}) {
    if (!status.ok()) {
      std::fprintf(stderr, "ferryd: %s\n", std::string(status.message()).c_str());
      return false;
    }
  }
  ferry::log::Configure({*format, *level});
  return true;
}

int Run() {
  using ferry::config::FormatProblem;
  if (!ConfigureLog()) return 2;
  const std::string path = absl::GetFlag(FLAGS_config);
  if (path.empty()) {
    std::fprintf(stderr, "ferryd: --config FILE is required\n");
    return 2;
  }
  const bool stage_streams = absl::GetFlag(FLAGS_stage) != "all";
  const auto loaded = ferry::engine::LoadConfig(path, stage_streams);
  if (ferry::engine::StopPending()) {
    // SIGTERM or SIGINT came while the config was read: start nothing.
    ferry::log::Info("ferryd.stopped", {{"config", path}});
    return 0;
  }
  if (!loaded.ok()) {
    for (const auto& problem : loaded.problems) {
      std::fprintf(stderr, "%s\n", FormatProblem(problem).c_str());
    }
    std::fprintf(stderr, "ferryd: %zu problem(s) in %s; nothing started\n",
                 loaded.problems.size(), path.c_str());
    return 2;
  }

  const std::string state_dir = StateDir(loaded.config);
  if (stage_streams) {
    return RunStage(loaded.config, path, state_dir);
  }
  return RunEmbedded(loaded.config, path, state_dir);
}

}  // namespace

int main(int argc, char** argv) {
  const sigset_t signals = ferry::engine::ControlSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  absl::SetProgramUsageMessage(
      "Runs Ferry's sync pipeline; SIGHUP reloads the config.\n"
      "  ferryd --config ferry.yaml                  every stage in one process\n"
      "  ferryd --config ferry.yaml --stage=writer --listen=ADDR "
      "[--shard=i --shards=n] [--control_listen=ADDR]\n"
      "  ferryd --config ferry.yaml --stage=transformer --listen=ADDR "
      "--downstream=WRITER,...\n"
      "  ferryd --config ferry.yaml --stage=reader --downstream=TRANSFORMER "
      "[--shard=i --shards=n] [--control_listen=ADDR]");
  ferry::SetVersionFlag("ferryd");
  absl::ParseCommandLine(argc, argv);
  return Run();
}
