#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/connector/connector.h"
#include "engine/pipeline/integration_plan.h"

namespace ferry::engine {

// Every project an integration of `plans` reads or writes in `system`, each
// once, in the order the integrations name them.
std::vector<std::string> ProjectsOf(
    const std::map<std::string, std::shared_ptr<const IntegrationPlan>>& plans,
    absl::string_view system);

// One line of what a system check found, as logged.
struct CheckLine {
  enum class Level { kInfo, kWarning, kError };
  Level level = Level::kInfo;
  std::string text;
};

// Runs every connector's CheckSystem on the projects its integrations use
// (ferryd does this when it starts and on each reload) and logs what each
// found: the user and each capability ("read service PXYZ: ok") as info,
// each warning (what no API shows and the first use will tell) as a
// warning, each problem with its fix as an error, and a check that could
// not run (system unreachable) as a warning. Never fails: a check informs,
// the readers and writers report their own errors. Returns the lines
// logged, each prefixed with "system '<name>': ". Blocking (HTTP calls);
// call it from one thread.
std::vector<CheckLine> CheckSystems(
    const std::map<std::string, std::unique_ptr<Connector>>& connectors,
    const std::map<std::string, std::shared_ptr<const IntegrationPlan>>& plans);

}  // namespace ferry::engine
