#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/config/source_map.h"
#include "mapping/validate_config.h"
#include "proto/config.pb.h"

namespace ferry::config {

// What the validator may assume about the ferryd that will run a config.
struct ValidationOptions {
  // Connector kinds that can run; a system of any other kind is a
  // problem. Comes from the connector registry (ConnectorRegistry::Kinds).
  std::vector<std::string> system_kinds;

  // Jira workflow graphs, when the caller fetched them, so that status
  // maps are checked against the real workflows; may be null.
  const mapping::WorkflowCatalog* workflows = nullptr;

  // Also read every secret now and report those that cannot be read (on
  // the host that will run ferryd). Values are never reported.
  bool check_secrets = false;

  // Whether the ferryd that runs the config joins its stages over the
  // network (ferryd --stage): only then are the stage TLS files of
  // server.stage_mtls loaded (with check_secrets). The embedded mode has
  // no stage streams on the network and sets it false, so a config shared
  // by both modes runs embedded without the stages' certificates.
  bool stage_streams = true;
};

// Whether a gRPC listen address ("host:port", "[v6]:port" or "unix:PATH")
// accepts connections only from this host: 127.0.0.0/8, ::1, localhost or
// a Unix socket. A wildcard host (0.0.0.0, [::], or none, as in ":7400")
// accepts them from anywhere, so it is not loopback.
bool IsLoopbackAddress(absl::string_view address);

// Checks the structure of a parsed config: every system, mapping and
// integration is complete and refers to things that exist, names are
// unique, secrets are referenced (and readable, on request), the control
// API is not served beyond loopback without a token, and no setting is out
// of range. What fields and values mean is mapping::ValidateConfig's
// to check. Returns every problem found, in config order, each at
// the position `sources` recorded for its field in `file`; empty when the
// config can run. Pure apart from `check_secrets`. Thread-safe.
std::vector<ferry::v1::ConfigProblem> ValidateConfig(
    const ferry::v1::FerryConfig& config, const ValidationOptions& options,
    absl::string_view file, const SourceMap& sources);

}  // namespace ferry::config
