#include "engine/common/log.h"

#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "spdlog/sinks/base_sink.h"
#include "spdlog/spdlog.h"

namespace ferry::log {
namespace {

// Where every line goes, with how it is written.
struct Sink {
  absl::Mutex mu;
  Options options ABSL_GUARDED_BY(mu);
  std::FILE* out ABSL_GUARDED_BY(mu) = stderr;
};

Sink& TheSink() {
  static Sink* const sink = new Sink;
  return *sink;
}

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

// Invalid UTF-8 from an end system is replaced, never thrown.
std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A field's value as text: bare when it is one word, quoted otherwise.
std::string TextValue(const nlohmann::json& value) {
  if (!value.is_string()) return Dump(value);
  const std::string& text = value.get_ref<const std::string&>();
  const bool bare = !text.empty() && !absl::StrContains(text, ' ') &&
                    !absl::StrContains(text, '"') && !absl::StrContains(text, '=') &&
                    !absl::StrContains(text, '\n');
  return bare ? text : Dump(value);
}

std::string FormatLine(Format format, const nlohmann::json& line) {
  if (format == Format::kJson) return Dump(line);
  std::string text = absl::StrCat(
      line["time"].get<std::string>(), " ",
      absl::AsciiStrToUpper(line["level"].get<std::string>()), " ",
      line["event"].get<std::string>());
  for (const auto& [key, value] : line.items()) {
    if (key == "time" || key == "level" || key == "event") continue;
    absl::StrAppend(&text, " ", key, "=", TextValue(value));
  }
  return text;
}

// Writes one event, if its level is enabled, as one line.
void Emit(Level level, absl::Time time, absl::string_view event,
          nlohmann::json fields) {
  Sink& sink = TheSink();
  absl::MutexLock lock(&sink.mu);
  if (level < sink.options.level) return;
  nlohmann::json line = {
      {"time", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone())},
      {"level", std::string(LevelName(level))},
      {"event", std::string(event)},
  };
  if (fields.is_object()) {
    for (auto& [key, value] : fields.items()) {
      if (!line.contains(key)) line[key] = std::move(value);
    }
  }
  const std::string text = FormatLine(sink.options.format, line) + "\n";
  std::fwrite(text.data(), 1, text.size(), sink.out);
  std::fflush(sink.out);
}

Level FromSpdlog(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return Level::kDebug;
    case spdlog::level::info: return Level::kInfo;
    case spdlog::level::warn: return Level::kWarn;
    default: return Level::kError;
  }
}

// spdlog's lines, as events of ours.
class SpdlogSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    nlohmann::json fields = {
        {"message", std::string(msg.payload.data(), msg.payload.size())}};
    if (msg.logger_name.size() > 0) {
      fields["logger"] = std::string(msg.logger_name.data(), msg.logger_name.size());
    }
    Emit(FromSpdlog(msg.level), absl::FromChrono(msg.time), "log.message",
         std::move(fields));
  }
  void flush_() override {}
};

}  // namespace

void Configure(const Options& options, std::FILE* out) {
  {
    Sink& sink = TheSink();
    absl::MutexLock lock(&sink.mu);
    sink.options = options;
    sink.out = out;
  }
  auto logger = std::make_shared<spdlog::logger>("", std::make_shared<SpdlogSink>());
  // Every level reaches the sink, which applies ours.
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

absl::StatusOr<Format> ParseFormat(absl::string_view name) {
  if (name == "json") return Format::kJson;
  if (name == "text") return Format::kText;
  return absl::InvalidArgumentError(
      absl::StrCat("log format '", name, "' is unknown: use json or text"));
}

absl::StatusOr<Level> ParseLevel(absl::string_view name) {
  for (Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (name == LevelName(level)) return level;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "log level '", name, "' is unknown: use debug, info, warn or error"));
}

void Write(Level level, absl::string_view event, nlohmann::json fields) {
  Emit(level, absl::Now(), event, std::move(fields));
}
void Debug(absl::string_view event, nlohmann::json fields) {
  Emit(Level::kDebug, absl::Now(), event, std::move(fields));
}
void Info(absl::string_view event, nlohmann::json fields) {
  Emit(Level::kInfo, absl::Now(), event, std::move(fields));
}
void Warn(absl::string_view event, nlohmann::json fields) {
  Emit(Level::kWarn, absl::Now(), event, std::move(fields));
}
void Error(absl::string_view event, nlohmann::json fields) {
  Emit(Level::kError, absl::Now(), event, std::move(fields));
}

}  // namespace ferry::log
