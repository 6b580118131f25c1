#pragma once

#include <cstdio>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ferry::log {

// Structured logs: one line per event on stderr, with the event name and
// its fields. As JSON (the default):
//   {"time":"2026-11-29T17:00:00.123Z","level":"info","event":"sync.start",...}
// or as text, for a person at a terminal:
//   2026-11-29T17:00:00.123Z INFO  sync.start integration=pd-to-jira port=7400
// Callers pass only what is safe to show: never a token or a request's
// Authorization header (connectors redact at their edge).
//
// Every line of the process shares the format: lines written through
// spdlog's default logger (connectors and the HTTP client log that way)
// are routed to the same sink once Configure() ran, as the event
// "log.message" with the text in "message" and the logger's name, if any,
// in "logger". Thread-safe.

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kJson, kText };

struct Options {
  Format format = Format::kJson;
  // Lines below this level are dropped.
  Level level = Level::kInfo;
};

// Sets the format and level of every later line, writes them to `out`
// (which must outlive the process's logging; stderr by default) and makes
// spdlog's default logger write through the same sink. Before the first
// call, lines go to stderr as JSON at level info.
void Configure(const Options& options, std::FILE* out = stderr);

// "json" or "text"; InvalidArgument naming the values allowed otherwise.
absl::StatusOr<Format> ParseFormat(absl::string_view name);
// "debug", "info", "warn" or "error"; InvalidArgument naming them otherwise.
absl::StatusOr<Level> ParseLevel(absl::string_view name);

// Logs `event` at `level`; the four functions below are its short forms.
void Write(Level level, absl::string_view event,
           nlohmann::json fields = nlohmann::json::object());
void Debug(absl::string_view event, nlohmann::json fields = nlohmann::json::object());
void Info(absl::string_view event, nlohmann::json fields = nlohmann::json::object());
void Warn(absl::string_view event, nlohmann::json fields = nlohmann::json::object());
void Error(absl::string_view event, nlohmann::json fields = nlohmann::json::object());

}  // namespace ferry::log
