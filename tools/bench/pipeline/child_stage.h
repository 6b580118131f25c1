#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ferry::bench {

// A stage of the pipeline in a child process: this benchmark binary run
// again with `args` (it then serves one stage, see RunChildStage). The
// child reports its port on stdout and runs until its stdin closes, which
// the destructor does before reaping it, so no child outlives the bench.
class ChildStage {
 public:
  // Starts the child and waits for its port. Fails when it cannot start
  // or exits first.
  static absl::StatusOr<ChildStage> Start(const std::vector<std::string>& args);
  ChildStage(ChildStage&& other) noexcept;
  ChildStage& operator=(ChildStage&&) = delete;
  ~ChildStage();

  // The port the child's stage listens on (0 for a reader).
  int port() const { return port_; }

 private:
  ChildStage() = default;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int port_ = 0;
};

// The child's side, once its stage runs: tells the parent `port`, then
// blocks until the parent closes the child's stdin.
void ReportPortAndWait(int port);

}  // namespace ferry::bench
