#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace ferry::testing {

// A ferryd child process for tests, started from the test's runfiles
// (data dependency //engine/ferryd), with its structured log written to
// its own file. Stops it with SIGKILL when destroyed if still running.
class FerrydProcess {
 public:
  FerrydProcess(const std::vector<std::string>& args, std::string log);
  ~FerrydProcess();

  // Waits for the "ferryd.started" log line and returns it; nullopt when
  // the process did not start within `timeout` (see log()).
  std::optional<nlohmann::json> WaitStarted(absl::Duration timeout);

  // Waits for the `n`-th log line (from 1) whose event is `event` and
  // returns it; nullopt when none came within `timeout`.
  std::optional<nlohmann::json> WaitForEvent(const std::string& event, int n,
                                             absl::Duration timeout);

  // Sends `signal`, reaps the process and returns its wait status.
  int Stop(int signal);

  const std::string& log() const { return log_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string log_;
};

// Starts a ferryd with `args`, logging to `log`, adds it to `processes`,
// and returns its "ferryd.started" log line; an empty object when it did
// not start within 30 seconds.
nlohmann::json StartFerryd(std::vector<std::unique_ptr<FerrydProcess>>* processes,
                           const std::vector<std::string>& args,
                           const std::string& log);

}  // namespace ferry::testing
