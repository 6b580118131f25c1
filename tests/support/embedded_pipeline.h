#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/runtime/pipeline.h"

namespace ferry::testing {

// Loads the config `yaml` (called `file` in its problems) with every
// system kind the test links registered, and starts ferryd's embedded
// pipeline on it (reader, transformer and writer stages in-process) with
// its state in `state_dir`. INVALID_ARGUMENT with the config's first
// problem, placed and with its fix; else the pipeline's own error. For
// tests that sync simulators through the real pipeline.
absl::StatusOr<std::unique_ptr<engine::EmbeddedPipeline>> StartEmbeddedPipeline(
    const std::string& yaml, const std::string& file, const std::string& state_dir);

// Checks `done` every 50 ms until it holds (true) or `timeout` has passed
// (false).
bool WaitUntil(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(30));

}  // namespace ferry::testing
