// Runs the npm client servicenow-rest-api 1.2.2 through a scripted session
// (servicenow_rest_api_session.js) against the simulator, started here with
// the shipped fixture and TLS on loopback (the client only speaks https).
// Skips, saying why, when Node.js or the client is not installed; install
// it with tools/clients/servicenow/install.sh.
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <string>

#include "gtest/gtest.h"
#include "tools/servicenow_sim/fixture.h"
#include "tools/servicenow_sim/servicenow_simulator.h"
#include "tools/simcore/testing/self_signed_cert.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kScript[] =
    "tools/servicenow_sim/clients/servicenow_rest_api_session.js";
constexpr char kFixture[] = "tools/servicenow_sim/testdata/fixture.json";

bool Exists(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

// The client's node_modules: $FERRY_SERVICENOW_NODE_MODULES, else the
// checkout's tools/clients/servicenow/node_modules (found through the
// script's runfile symlink, since the folder is outside Bazel's view).
std::string NodeModules() {
  if (const char* env = getenv("FERRY_SERVICENOW_NODE_MODULES")) return env;
  char* real = realpath(kScript, nullptr);
  if (real == nullptr) return "";
  std::string path(real);
  free(real);
  const std::string suffix = "/" + std::string(kScript);
  if (path.size() <= suffix.size()) return "";
  return path.substr(0, path.size() - suffix.size()) +
         "/tools/clients/servicenow/node_modules";
}

// Runs `command`, returning its exit status and appending its output.
int RunCommand(const std::string& command, std::string& output) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) {
    output.append(buffer, n);
  }
  return pclose(pipe);
}

TEST(ServiceNowRestApiTest, ScriptedSessionPassesOverTls) {
  if (system("command -v node >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "Node.js is not installed; the servicenow-rest-api check needs it";
  }
  const std::string modules = NodeModules();
  if (modules.empty() ||
      !Exists(modules + "/servicenow-rest-api/package.json")) {
    GTEST_SKIP() << "servicenow-rest-api is not installed (looked in \""
                 << modules << "\"); run tools/clients/servicenow/install.sh";
  }
  const std::string tmp = getenv("TEST_TMPDIR");
  const std::string cert = tmp + "/servicenow-cert.pem";
  const std::string key = tmp + "/servicenow-key.pem";
  ASSERT_TRUE(simcore::WriteSelfSignedCert(cert, key).ok());

  simcore::SimServerOptions options;
  options.tls_cert_file = cert;
  options.tls_key_file = key;
  ServiceNowSimulator simulator(options);
  absl::StatusOr<Fixture> fixture = FixtureFromFile(kFixture);
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  ASSERT_TRUE(LoadFixture(*fixture, simulator).ok());
  absl::StatusOr<int> port = simulator.Start();
  ASSERT_TRUE(port.ok()) << port.status();

  // The client appends ".service-now.com" only to an instance without a
  // dot: "127.0.0.1:PORT" is used as is, over https.
  const std::string command =
      "NODE_EXTRA_CA_CERTS='" + cert + "' NODE_PATH='" + modules + "' node " +
      kScript + " 127.0.0.1:" + std::to_string(*port) + " 2>&1";
  std::string output;
  const int status = RunCommand(command, output);
  simulator.Stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  EXPECT_NE(output.find("SERVICENOW SESSION OK"), std::string::npos) << output;
}

}  // namespace
}  // namespace ferry::servicenow_sim
