// Runs the official PagerDuty JS client (@pagerduty/pdjs 2.2.4) through a
// scripted session (pdjs_session.js) against the simulator. Skips, saying
// why, when Node.js or the client is not installed; install the client with
// tools/clients/pagerduty/install.sh.
#include <sys/wait.h>

#include <string>

#include "gtest/gtest.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"
#include "tools/simcore/testing/node_client.h"

namespace ferry::pagerduty_sim {
namespace {

constexpr char kScript[] = "tools/pagerduty_sim/pdjs_session.js";

using PdjsClientTest = SimFixture;

TEST_F(PdjsClientTest, ScriptedSessionPasses) {
  const simcore::NodeClient client = simcore::FindNodeClient(
      kScript, "FERRY_PDJS_NODE_MODULES", "tools/clients/pagerduty",
      "@pagerduty/pdjs");
  if (!client.skip_reason.empty()) GTEST_SKIP() << client.skip_reason;
  const std::string command = "NODE_PATH='" + client.node_modules + "' node " +
                              kScript + " " + std::to_string(sim_->port()) + " 2>&1";
  std::string output;
  const int status = simcore::RunShell(command, output);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  EXPECT_NE(output.find("PDJS SESSION OK"), std::string::npos) << output;
}

}  // namespace
}  // namespace ferry::pagerduty_sim
