#include "tools/simcore/testing/node_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

namespace ferry::simcore {
namespace {

// `<checkout>/<client_dir>/node_modules`, the checkout being where the
// real path of `script` lies; "" when that path cannot be read.
std::string CheckoutNodeModules(const std::string& script,
                                const std::string& client_dir) {
  char* real = realpath(script.c_str(), nullptr);
  if (real == nullptr) return "";
  std::string path(real);
  free(real);
  const std::string suffix = "/" + script;
  if (path.size() <= suffix.size()) return "";
  return path.substr(0, path.size() - suffix.size()) + "/" + client_dir +
         "/node_modules";
}

}  // namespace

NodeClient FindNodeClient(const std::string& script, const char* env_var,
                          const std::string& client_dir,
                          const std::string& package) {
  NodeClient client;
  if (system("command -v node >/dev/null 2>&1") != 0) {
    client.skip_reason =
        "Node.js is not installed; the " + package + " check needs it";
    return client;
  }
  const char* env = getenv(env_var);
  client.node_modules = env != nullptr ? std::string(env)
                                       : CheckoutNodeModules(script, client_dir);
  struct stat info;
  const std::string manifest = client.node_modules + "/" + package + "/package.json";
  if (client.node_modules.empty() || stat(manifest.c_str(), &info) != 0) {
    client.skip_reason = package + " is not installed (looked in \"" +
                         client.node_modules + "\"); run " + client_dir +
                         "/install.sh";
  }
  return client;
}

int RunShell(const std::string& command, std::string& output) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) {
    output.append(buffer, n);
  }
  return pclose(pipe);
}

}  // namespace ferry::simcore
