#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/string_view.h"
#include "mapping/status_graph.h"
#include "proto/config.pb.h"

namespace ferry::mapping {

// Workflow graphs known before a configuration runs (fetched from Jira by
// the caller), by system name, project and entity type. Not thread-safe
// while being filled; read-only use is.
class WorkflowCatalog {
 public:
  void Add(std::string system, std::string project, std::string type, StatusGraph graph);
  // The graph for that system, project and type, or nullptr.
  const StatusGraph* Find(absl::string_view system, absl::string_view project,
                          absl::string_view type) const;

 private:
  std::map<std::tuple<std::string, std::string, std::string>, StatusGraph> graphs_;
};

// Checks every integration of `config` with its mapping and systems before
// anything runs, and returns every problem at once (field paths from the
// top of the file: "integrations[0].mapping", "mappings[1].fields[2].
// target"), each with its fix, without duplicates; empty when sound:
//   - systems whose kind has no registered schema (the fix lists the
//     registered kinds);
//   - criteria a source cannot filter on (unknown parameters), for sources
//     whose QueryDialect Ferry parses;
//   - target lookup queries with unknown @Field@ placeholders or, for
//     targets whose dialect Ferry parses, unknown parameters;
//   - everything ValidateMapping checks, with `workflows` supplying
//     workflow graphs for the integration's projects and entity types.
// Names, references, directions, URLs and secrets are not checked here:
// the config loader does that in its structure pass, and runs this one too
// on a config whose structure has problems (every problem at once); an
// integration with a dangling reference is skipped.
// Pure, deterministic and thread-safe.
std::vector<ferry::v1::ConfigProblem> ValidateConfig(const ferry::v1::FerryConfig& config,
                                                     const WorkflowCatalog& workflows);

}  // namespace ferry::mapping
