#include "engine/runtime/reload_loop.h"

#include <optional>
#include <utility>

#include "engine/common/log.h"
#include "engine/config/source_map.h"
#include "engine/connector/registry.h"

namespace ferry::engine {
namespace {

// Blocks until one of ControlSignals() arrives; returns it.
int WaitForSignal() {
  const sigset_t signals = ControlSignals();
  int signal = 0;
  sigwait(&signals, &signal);
  log::Info(signal == SIGHUP ? "ferryd.reloading" : "ferryd.stopping",
            {{"signal", signal}});
  return signal;
}

// Waits for signals: returns the config to run next on a SIGHUP whose
// config is valid, nullopt on SIGTERM or SIGINT, also one that came while
// the config was read. A SIGHUP whose config has problems logs them and
// waits on.
std::optional<ferry::v1::FerryConfig> NextConfig(const std::string& path,
                                                 bool stage_streams) {
  while (WaitForSignal() == SIGHUP) {
    auto loaded = LoadConfig(path, stage_streams);
    if (StopPending()) {
      WaitForSignal();  // Takes it, and logs "ferryd.stopping".
      return std::nullopt;
    }
    if (loaded.ok()) return std::move(loaded.config);
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& problem : loaded.problems) {
      problems.push_back(config::FormatProblem(problem));
    }
    log::Error("ferryd.reload_refused", {{"config", path}, {"problems", problems}});
  }
  return std::nullopt;
}

}  // namespace

sigset_t ControlSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  return signals;
}

bool StopPending() {
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  return sigismember(&pending, SIGTERM) == 1 ||
         sigismember(&pending, SIGINT) == 1;
}

config::LoadedConfig LoadConfig(const std::string& path, bool stage_streams) {
  config::ValidationOptions options;
  options.system_kinds = ConnectorRegistry::Kinds();
  options.check_secrets = true;
  options.stage_streams = stage_streams;
  return config::LoadConfigFile(path, options);
}

int RunReloading(ferry::v1::FerryConfig config, const std::string& path,
                 const Runnable& runnable) {
  auto started = runnable.start(config);
  while (true) {
    if (!started.ok()) {
      log::Error("ferryd.start_failed", {{"config", path},
                                         {"error", started.status().message()}});
      return 1;
    }
    nlohmann::json fields = *started;
    fields["config"] = path;
    fields["integrations"] = config.integrations_size();
    log::Info("ferryd.started", fields);
    std::optional<ferry::v1::FerryConfig> next = NextConfig(path, runnable.stage_streams);
    if (!next.has_value()) break;
    runnable.stop();
    started = runnable.start(*next);
    if (started.ok()) {
      config = *std::move(next);
      log::Info("ferryd.reloaded", {{"config", path}});
    } else {
      // The new config is valid but cannot run: go on with the one that ran.
      log::Error("ferryd.reload_failed",
                 {{"config", path}, {"error", started.status().message()}});
      started = runnable.start(config);
    }
  }
  runnable.stop();
  log::Info("ferryd.stopped");
  return 0;
}

}  // namespace ferry::engine
