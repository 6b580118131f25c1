#include "engine/common/testing/log_capture.h"

#include "absl/strings/str_split.h"

namespace ferry::log {

LogCapture::LogCapture(const Options& options) : file_(std::tmpfile()) {
  Configure(options, file_);
}

LogCapture::~LogCapture() {
  Configure(Options{}, stderr);
  std::fclose(file_);
}

std::vector<std::string> LogCapture::Lines() {
  std::fflush(file_);
  std::rewind(file_);
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) text.append(buffer, n);
  std::fseek(file_, 0, SEEK_END);
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

std::vector<nlohmann::json> LogCapture::Events(const std::string& event) {
  std::vector<nlohmann::json> events;
  for (const std::string& line : Lines()) {
    nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && parsed.value("event", "") == event) {
      events.push_back(std::move(parsed));
    }
  }
  return events;
}

}  // namespace ferry::log
