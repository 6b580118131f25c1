// Runs the official PagerDuty JS client (@pagerduty/pdjs 2.2.4) through a
// scripted session (pdjs_session.js) against the simulator. Skips, saying
// why, when Node.js or the client is not installed; install the client with
// tools/clients/pagerduty/install.sh.
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <string>

#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty_sim {
namespace {

constexpr char kScript[] = "tools/pagerduty_sim/pdjs_session.js";

bool Exists(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

// The client's node_modules: $FERRY_PDJS_NODE_MODULES, else the checkout's
// tools/clients/pagerduty/node_modules (found through the script's runfile
// symlink, since the folder is outside Bazel's view).
std::string NodeModules() {
  if (const char* env = getenv("FERRY_PDJS_NODE_MODULES")) return env;
  char* real = realpath(kScript, nullptr);
  if (real == nullptr) return "";
  std::string path(real);
  free(real);
  const std::string suffix = "/" + std::string(kScript);
  if (path.size() <= suffix.size()) return "";
  return path.substr(0, path.size() - suffix.size()) + "/tools/clients/pagerduty/node_modules";
}

using PdjsClientTest = SimFixture;

TEST_F(PdjsClientTest, ScriptedSessionPasses) {
  if (system("command -v node >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "Node.js is not installed; the pdjs client check needs it";
  }
  const std::string modules = NodeModules();
  if (modules.empty() || !Exists(modules + "/@pagerduty/pdjs/package.json")) {
    GTEST_SKIP() << "@pagerduty/pdjs is not installed (looked in \"" << modules
                 << "\"); run tools/clients/pagerduty/install.sh";
  }
  const std::string command = "NODE_PATH='" + modules + "' node " + kScript + " " +
                              std::to_string(sim_->port()) + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr) << "cannot run: " << command;
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  EXPECT_NE(output.find("PDJS SESSION OK"), std::string::npos) << output;
}

}  // namespace
}  // namespace ferry::pagerduty_sim
