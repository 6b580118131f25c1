#pragma once

#include <signal.h>

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "engine/config/loader.h"
#include "nlohmann/json.hpp"
#include "proto/config.pb.h"

namespace ferry::engine {

// ferryd's life cycle, the same in the embedded and the stage mode: run a
// config until SIGTERM or SIGINT, reload it on SIGHUP.

// SIGTERM and SIGINT (stop) and SIGHUP (reload), taken by sigwait rather
// than handlers. main() blocks them on its first line, so a signal during
// start-up waits its turn instead of killing the process half way.
sigset_t ControlSignals();

// True when SIGTERM or SIGINT has come and waits, blocked, to be taken:
// checked right after reading a config, so a stop asked for during the
// read is honoured before anything is started.
bool StopPending();

// Reads and validates the config at `path`, secrets and TLS files
// included, against the connector kinds registered in this binary.
// `stage_streams`: whether this ferryd runs one stage (ferryd --stage),
// whose stage TLS files are then loaded too (ValidationOptions).
config::LoadedConfig LoadConfig(const std::string& path, bool stage_streams);

// What one mode runs for one config. `start` brings everything up from a
// valid config and returns the fields of its "ferryd.started" log line, or
// fails leaving nothing running (then `stop` is not called). `stop` tears
// down what the last successful `start` brought up.
struct Runnable {
  std::function<absl::StatusOr<nlohmann::json>(const ferry::v1::FerryConfig&)> start;
  std::function<void()> stop;
  // Whether it runs one stage, for LoadConfig on each SIGHUP.
  bool stage_streams = false;
};

// Runs `config`, read from `path`, until SIGTERM or SIGINT; returns
// ferryd's exit code: 0 once stopped, 1 when it cannot start. On SIGHUP it
// reads `path` again: a config with problems is refused
// ("ferryd.reload_refused" names them) and the running one goes on; a
// valid one is started in place of the old one ("ferryd.reloaded"), unless
// SIGTERM or SIGINT came while it was read (then ferryd stops); when
// that fails (a port in use, say) the old config is started again
// ("ferryd.reload_failed"). State is durable, so what was in flight is read
// again and nothing is lost. Call from the main thread with
// ControlSignals() blocked.
int RunReloading(ferry::v1::FerryConfig config, const std::string& path,
                 const Runnable& runnable);

}  // namespace ferry::engine
