#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "engine/common/log.h"
#include "nlohmann/json.hpp"

namespace ferry::log {

// For tests: every line logged while it lives (spdlog's included) goes to
// a temporary file instead of stderr, in the given format; destroying it
// sends lines back to stderr as JSON at level info. Not thread-safe
// against another LogCapture; one at a time.
class LogCapture {
 public:
  explicit LogCapture(const Options& options = {});
  ~LogCapture();

  // The lines logged so far, without their newlines.
  std::vector<std::string> Lines();
  // The JSON lines (format kJson) of `event`, parsed, oldest first.
  std::vector<nlohmann::json> Events(const std::string& event);

  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

 private:
  std::FILE* file_;
};

}  // namespace ferry::log
