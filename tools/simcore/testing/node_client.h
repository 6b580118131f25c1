#pragma once

#include <string>

namespace ferry::simcore {

// Helpers for tests that check a simulator with a real JavaScript client
// installed by tools/clients/<name>/install.sh into
// tools/clients/<name>/node_modules (outside Bazel's view).

struct NodeClient {
  // The client's node_modules, for NODE_PATH.
  std::string node_modules;
  // Non-empty when the test must skip: why, and the fix.
  std::string skip_reason;
};

// Finds Node.js and the installed `package` (e.g. "@pagerduty/pdjs"):
// node_modules is the environment variable `env_var` when set, else
// `<checkout>/<client_dir>/node_modules`, the checkout found through the
// real path of `script` (a runfile symlinked into the source tree, given
// relative to the workspace root).
NodeClient FindNodeClient(const std::string& script, const char* env_var,
                          const std::string& client_dir,
                          const std::string& package);

// Runs `command` through the shell, appends what it prints (stdout; add
// 2>&1 for stderr) to `output`, and returns its wait status (pclose), or
// -1 when it cannot be started.
int RunShell(const std::string& command, std::string& output);

}  // namespace ferry::simcore
