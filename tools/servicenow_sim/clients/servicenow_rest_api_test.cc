// Runs the npm client servicenow-rest-api 1.2.2 through a scripted session
// (servicenow_rest_api_session.js) against the simulator, started here with
// the shipped fixture and TLS on loopback (the client only speaks https).
// Skips, saying why, when Node.js or the client is not installed; install
// it with tools/clients/servicenow/install.sh.
#include <stdlib.h>
#include <sys/wait.h>

#include <string>

#include "gtest/gtest.h"
#include "tests/support/self_signed.h"
#include "tools/servicenow_sim/fixture.h"
#include "tools/servicenow_sim/servicenow_simulator.h"
#include "tools/simcore/testing/node_client.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kScript[] =
    "tools/servicenow_sim/clients/servicenow_rest_api_session.js";
constexpr char kFixture[] = "tools/servicenow_sim/testdata/fixture.json";

TEST(ServiceNowRestApiTest, ScriptedSessionPassesOverTls) {
  const simcore::NodeClient client = simcore::FindNodeClient(
      kScript, "FERRY_SERVICENOW_NODE_MODULES", "tools/clients/servicenow",
      "servicenow-rest-api");
  if (!client.skip_reason.empty()) GTEST_SKIP() << client.skip_reason;
  const ferry::testing::PemFiles pem =
      ferry::testing::MintSelfSignedCertificate(getenv("TEST_TMPDIR"));

  simcore::SimServerOptions options;
  options.tls_cert_file = pem.certificate;
  options.tls_key_file = pem.private_key;
  ServiceNowSimulator simulator(options);
  absl::StatusOr<Fixture> fixture = FixtureFromFile(kFixture);
  ASSERT_TRUE(fixture.ok()) << fixture.status();
  ASSERT_TRUE(LoadFixture(*fixture, simulator).ok());
  absl::StatusOr<int> port = simulator.Start();
  ASSERT_TRUE(port.ok()) << port.status();

  // The client appends ".service-now.com" only to an instance without a
  // dot: "127.0.0.1:PORT" is used as is, over https.
  const std::string command =
      "NODE_EXTRA_CA_CERTS='" + pem.certificate + "' NODE_PATH='" +
      client.node_modules + "' node " + kScript + " 127.0.0.1:" +
      std::to_string(*port) + " 2>&1";
  std::string output;
  const int status = simcore::RunShell(command, output);
  simulator.Stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  EXPECT_NE(output.find("SERVICENOW SESSION OK"), std::string::npos) << output;
}

}  // namespace
}  // namespace ferry::servicenow_sim
