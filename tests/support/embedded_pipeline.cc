#include "tests/support/embedded_pipeline.h"

#include <utility>

#include "absl/time/clock.h"
#include "engine/config/loader.h"
#include "engine/connector/registry.h"

namespace ferry::testing {

absl::StatusOr<std::unique_ptr<engine::EmbeddedPipeline>> StartEmbeddedPipeline(
    const std::string& yaml, const std::string& file, const std::string& state_dir) {
  config::ValidationOptions validation;
  validation.system_kinds = engine::ConnectorRegistry::Kinds();
  const config::LoadedConfig loaded = config::LoadConfigText(yaml, file, validation);
  if (!loaded.ok()) {
    return absl::InvalidArgumentError(config::FormatProblem(loaded.problems.front()));
  }
  engine::EmbeddedPipeline::Options options;
  options.state_dir = state_dir;
  auto pipeline = engine::EmbeddedPipeline::Create(loaded.config, options);
  if (!pipeline.ok()) return pipeline.status();
  (*pipeline)->Start();
  return pipeline;
}

bool WaitUntil(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return true;
}

}  // namespace ferry::testing
