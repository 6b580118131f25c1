#pragma once

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ferry::log {

// Structured logs: one JSON object a line on stderr,
//   {"time":"2026-11-29T17:00:00.123Z","level":"info","event":"sync.start",...}
// with the event name and its fields. Callers pass only what is safe to
// show: never a token or a request's Authorization header (connectors
// redact at their edge). Thread-safe.

void Info(absl::string_view event, nlohmann::json fields = nlohmann::json::object());
void Warn(absl::string_view event, nlohmann::json fields = nlohmann::json::object());
void Error(absl::string_view event, nlohmann::json fields = nlohmann::json::object());

}  // namespace ferry::log
