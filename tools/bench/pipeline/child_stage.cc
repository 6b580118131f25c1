#include "tools/bench/pipeline/child_stage.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ferry::bench {

absl::StatusOr<ChildStage> ChildStage::Start(const std::vector<std::string>& args) {
  // Everything the child needs is made before fork(): other threads may
  // hold the allocator's lock at that moment.
  std::string self = "/proc/self/exe";
  std::vector<std::string> copies = args;
  std::vector<char*> argv = {self.data()};
  for (auto& arg : copies) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int to_child[2], from_child[2];
  // Close-on-exec, so a later child does not inherit this one's pipes
  // (dup2 clears the flag on the child's own stdin and stdout).
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) {
    return absl::InternalError("pipe2() failed");
  }
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork() failed");
  if (pid == 0) {
    dup2(to_child[0], STDIN_FILENO);
    dup2(from_child[1], STDOUT_FILENO);
    execv(self.c_str(), argv.data());
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  ChildStage child;
  child.pid_ = pid;
  child.stdin_fd_ = to_child[1];
  // The first line the child prints is "port N".
  std::string line;
  char c;
  while (read(from_child[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(from_child[0]);
  absl::string_view rest = line;
  if (!absl::ConsumePrefix(&rest, "port ") || !absl::SimpleAtoi(rest, &child.port_)) {
    return absl::UnavailableError(absl::StrCat(
        "the ", args.empty() ? "" : args.front(),
        " child did not start (see its stderr above)"));
  }
  return child;
}

ChildStage::ChildStage(ChildStage&& other) noexcept
    : pid_(other.pid_), stdin_fd_(other.stdin_fd_), port_(other.port_) {
  other.pid_ = -1;
  other.stdin_fd_ = -1;
}

ChildStage::~ChildStage() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  if (pid_ > 0) waitpid(pid_, nullptr, 0);
}

void ReportPortAndWait(int port) {
  std::printf("port %d\n", port);
  std::fflush(stdout);
  char buffer[64];
  while (read(STDIN_FILENO, buffer, sizeof(buffer)) > 0) {
  }
}

}  // namespace ferry::bench
