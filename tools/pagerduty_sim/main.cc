// pagerduty_sim: serves the simulated PagerDuty REST API v2 on a port the OS
// picks. Prints "pagerduty_sim listening on http://HOST:PORT" and, with
// --port_file, writes the port there.
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "tools/pagerduty_sim/pagerduty_sim.h"
#include "tools/pagerduty_sim/seed.h"

ABSL_FLAG(std::string, seed, "", "JSON fixture to start from (see seed.h)");
ABSL_FLAG(std::string, port_file, "", "file to write the chosen port to");
ABSL_FLAG(std::string, host, "127.0.0.1", "address to listen on");
ABSL_FLAG(int, rate_limit, 960, "requests per minute per token or user");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  nlohmann::json seed = nlohmann::json::object();
  if (const std::string path = absl::GetFlag(FLAGS_seed); !path.empty()) {
    std::ifstream in(path);
    seed = nlohmann::json::parse(in, nullptr, false);
    if (!in || seed.is_discarded()) {
      std::cerr << "cannot read --seed " << path << " as JSON; check the path and syntax\n";
      return 2;
    }
  }
  absl::StatusOr<ferry::pagerduty_sim::State> state =
      ferry::pagerduty_sim::StateFromSeed(seed, absl::Now());
  if (!state.ok()) {
    std::cerr << state.status().message() << "\n";
    return 2;
  }
  ferry::simcore::SimServerOptions options;
  options.host = absl::GetFlag(FLAGS_host);
  options.port_file = absl::GetFlag(FLAGS_port_file);
  options.rate_limit.limit = absl::GetFlag(FLAGS_rate_limit);
  ferry::pagerduty_sim::PagerDutySim sim(options, *std::move(state));
  absl::StatusOr<int> port = sim.Start();
  if (!port.ok()) {
    std::cerr << port.status().message() << "\n";
    return 1;
  }
  std::cout << "pagerduty_sim listening on http://" << options.host << ":" << *port
            << std::endl;
  sim.Wait();
  return 0;
}
