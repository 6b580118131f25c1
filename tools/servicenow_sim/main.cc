// servicenow_sim: a local ServiceNow instance (Table API) for Ferry's tests.
//
//   servicenow_sim --fixture=tools/servicenow_sim/testdata/fixture.json
//                  --port_file=/tmp/servicenow.port
//                  [--tls_cert=cert.pem --tls_key=key.pem]
//
// Prints "servicenow_sim listening on 127.0.0.1:<port>" once serving.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "tools/servicenow_sim/fixture.h"
#include "tools/servicenow_sim/seed.h"
#include "tools/servicenow_sim/servicenow_simulator.h"

ABSL_FLAG(std::string, fixture, "",
          "the instance to start with: users, groups, choice lists, OAuth "
          "clients and rate-limit rules (see tools/servicenow_sim/fixture.h; "
          "tools/servicenow_sim/testdata/fixture.json is the default "
          "instance); loaded before --seed");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate: with --tls_key, serve HTTPS only (for clients "
          "that hard-code https://)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert, unencrypted");
ABSL_FLAG(std::string, seed, "",
          "JSON file of rows per table to load at start "
          "(see tools/servicenow_sim/seed.h); without it the instance is empty "
          "and nobody can log in");
ABSL_FLAG(std::string, host, "127.0.0.1", "address to bind");
ABSL_FLAG(std::string, port_file, "",
          "file to write the port to (the OS chooses it)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  ferry::simcore::SimServerOptions options;
  options.host = absl::GetFlag(FLAGS_host);
  options.port_file = absl::GetFlag(FLAGS_port_file);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    std::fprintf(stderr,
                 "servicenow_sim: give both --tls_cert and --tls_key, or neither\n");
    return 1;
  }
  ferry::servicenow_sim::ServiceNowSimulator simulator(options);
  if (!absl::GetFlag(FLAGS_fixture).empty()) {
    absl::StatusOr<ferry::servicenow_sim::Fixture> fixture =
        ferry::servicenow_sim::FixtureFromFile(absl::GetFlag(FLAGS_fixture));
    absl::Status loaded =
        fixture.ok() ? ferry::servicenow_sim::LoadFixture(*fixture, simulator)
                     : fixture.status();
    if (!loaded.ok()) {
      std::fprintf(stderr, "servicenow_sim: %s\n",
                   std::string(loaded.message()).c_str());
      return 1;
    }
  }
  if (!absl::GetFlag(FLAGS_seed).empty()) {
    absl::Status seeded = ferry::servicenow_sim::LoadSeedFile(
        absl::GetFlag(FLAGS_seed), simulator.store(), simulator.Now());
    if (!seeded.ok()) {
      std::fprintf(stderr, "servicenow_sim: %s\n",
                   std::string(seeded.message()).c_str());
      return 1;
    }
  }
  absl::StatusOr<int> port = simulator.Start();
  if (!port.ok()) {
    std::fprintf(stderr, "servicenow_sim: %s\n",
                 std::string(port.status().message()).c_str());
    return 1;
  }
  std::printf("servicenow_sim listening on %s:%d\n", options.host.c_str(),
              *port);
  std::fflush(stdout);
  simulator.Wait();
  return 0;
}
