// jira_sim: a local Jira (Data Center or Cloud dialect) for Ferry's tests.
//
//   jira_sim --mode=dc --fixture=tools/jira_sim/testdata/fixture.json
//       --port_file=/tmp/jira.port
//
// Prints "jira_sim listening on 127.0.0.1:<port> (<mode>)" once serving.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "tools/jira_sim/fixture.h"
#include "tools/jira_sim/jira_simulator.h"

ABSL_FLAG(std::string, mode, "dc", "Jira dialect: dc (Data Center) or cloud");
ABSL_FLAG(std::string, fixture, "",
          "JSON fixture with users, projects, workflows and issues "
          "(see tools/jira_sim/fixture.h); required");
ABSL_FLAG(std::string, host, "127.0.0.1", "address to bind");
ABSL_FLAG(std::string, port_file, "", "file to write the chosen port to");
ABSL_FLAG(int, rate_limit, 960, "requests per credential per window");
ABSL_FLAG(int, rate_window_seconds, 60, "rate-limit window in seconds");
ABSL_FLAG(int64_t, index_lag_ms, 0,
          "Cloud search/jql: how long new issues stay unsearchable");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string mode = absl::GetFlag(FLAGS_mode);
  if (mode != "dc" && mode != "cloud") {
    std::fprintf(stderr, "jira_sim: --mode must be dc or cloud, not '%s'\n",
                 mode.c_str());
    return 2;
  }
  if (absl::GetFlag(FLAGS_fixture).empty()) {
    std::fprintf(stderr, "jira_sim: give --fixture=<file.json>\n");
    return 2;
  }
  absl::StatusOr<ferry::jira_sim::State> state =
      ferry::jira_sim::StateFromFixtureFile(absl::GetFlag(FLAGS_fixture));
  if (!state.ok()) {
    std::fprintf(stderr, "jira_sim: %s\n",
                 std::string(state.status().message()).c_str());
    return 1;
  }
  ferry::simcore::SimServerOptions options;
  options.host = absl::GetFlag(FLAGS_host);
  options.port_file = absl::GetFlag(FLAGS_port_file);
  options.rate_limit.limit = absl::GetFlag(FLAGS_rate_limit);
  options.rate_limit.window = absl::Seconds(absl::GetFlag(FLAGS_rate_window_seconds));
  ferry::jira_sim::JiraSimulator simulator(
      mode == "cloud" ? ferry::jira_sim::Dialect::kCloud
                      : ferry::jira_sim::Dialect::kDataCenter,
      *std::move(state), options);
  simulator.SetIndexLag(absl::Milliseconds(absl::GetFlag(FLAGS_index_lag_ms)));
  absl::StatusOr<int> port = simulator.Start();
  if (!port.ok()) {
    std::fprintf(stderr, "jira_sim: %s\n",
                 std::string(port.status().message()).c_str());
    return 1;
  }
  std::printf("jira_sim listening on %s:%d (%s)\n", options.host.c_str(),
              *port, mode.c_str());
  std::fflush(stdout);
  simulator.Wait();
  return 0;
}
