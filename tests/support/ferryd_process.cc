#include "tests/support/ferryd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace ferry::testing {

FerrydProcess::FerrydProcess(const std::vector<std::string>& args,
                             std::string log)
    : log_(std::move(log)) {
  const std::string binary = absl::StrCat(std::getenv("TEST_SRCDIR"), "/",
                                          std::getenv("TEST_WORKSPACE"),
                                          "/engine/ferryd/ferryd");
  std::vector<char*> argv = {const_cast<char*>(binary.c_str())};
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(),
                  environ) != 0) {
    pid_ = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
}

FerrydProcess::~FerrydProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

std::optional<nlohmann::json> FerrydProcess::WaitStarted(
    absl::Duration timeout) {
  return WaitForEvent("ferryd.started", 1, timeout);
}

std::optional<nlohmann::json> FerrydProcess::WaitForEvent(
    const std::string& event, int n, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (pid_ > 0 && absl::Now() < deadline) {
    std::ifstream in(log_);
    int seen = 0;
    for (std::string line; std::getline(in, line);) {
      auto logged = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (logged.is_object() && logged.value("event", "") == event && ++seen == n) {
        return logged;
      }
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return std::nullopt;
}

int FerrydProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

nlohmann::json StartFerryd(std::vector<std::unique_ptr<FerrydProcess>>* processes,
                           const std::vector<std::string>& args,
                           const std::string& log) {
  processes->push_back(std::make_unique<FerrydProcess>(args, log));
  return processes->back()->WaitStarted(absl::Seconds(30)).value_or(
      nlohmann::json::object());
}

}  // namespace ferry::testing
