#include "engine/common/log.h"

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace ferry::log {
namespace {

spdlog::logger& Logger() {
  static spdlog::logger* const logger = [] {
    auto* made = new spdlog::logger("ferry",
                                    std::make_shared<spdlog::sinks::stderr_sink_mt>());
    made->set_pattern("%v");  // The JSON object is the whole line.
    made->flush_on(spdlog::level::info);
    return made;
  }();
  return *logger;
}

void Write(spdlog::level::level_enum level, absl::string_view level_name,
           absl::string_view event, nlohmann::json fields) {
  nlohmann::json line = {
      {"time", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                absl::UTCTimeZone())},
      {"level", std::string(level_name)},
      {"event", std::string(event)},
  };
  if (fields.is_object()) line.update(fields);
  // Invalid UTF-8 from an end system is replaced, never thrown.
  Logger().log(level, "{}",
               line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

void Info(absl::string_view event, nlohmann::json fields) {
  Write(spdlog::level::info, "info", event, std::move(fields));
}
void Warn(absl::string_view event, nlohmann::json fields) {
  Write(spdlog::level::warn, "warn", event, std::move(fields));
}
void Error(absl::string_view event, nlohmann::json fields) {
  Write(spdlog::level::err, "error", event, std::move(fields));
}

}  // namespace ferry::log
