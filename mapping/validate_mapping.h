#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "mapping/status_graph.h"
#include "mapping/system_schema.h"
#include "proto/config.pb.h"

namespace ferry::mapping {

// What one mapping is checked against: the systems of an integration that
// uses it.
struct MappingContext {
  // The integration's source and target system schemas; required.
  const SystemSchema* source_schema = nullptr;
  const SystemSchema* target_schema = nullptr;
  // The integration's direction: FORWARD, or BOTH for the reverse flow too.
  ferry::v1::Direction direction = ferry::v1::DIRECTION_FORWARD;
  // Workflow graphs of the source and target entity types (Jira), when
  // known; they replace the schema's own status rules. May be nullptr.
  const StatusGraph* source_workflow = nullptr;
  const StatusGraph* target_workflow = nullptr;
};

// Checks `mapping` before it runs and returns every problem at once, each
// with `field_path` under `path` ("mappings[0].fields[2].target"), what is
// wrong and how to fix it; empty when the mapping is sound. Checks, for
// each flow a field takes (its direction within the integration's):
//   - fields unknown to their system; fields that never flow;
//   - writes to read-only fields (PagerDuty Incident Key after create,
//     Number, Id) and create-only fields not marked sync_when CREATE
//     (PagerDuty Description);
//   - types that cannot convert; transforms on non-text targets or with
//     unknown @Field@ placeholders;
//   - look-up values with no mapping and no default, in either direction,
//     and mappings to values the target does not have;
//   - status maps that lead to a change the target refuses (PagerDuty
//     acknowledged → triggered) or that its workflow cannot reach;
//   - BOTH fields whose two directions disagree (transforms that do not
//     round-trip, reverse entries that lead elsewhere);
//   - two fields writing one target field; comment templates with unknown
//     placeholders; comment kinds neither system has; remote-entity
//     fields that cannot be written.
// Deterministic; pure; thread-safe.
std::vector<ferry::v1::ConfigProblem> ValidateMapping(const ferry::v1::MappingConfig& mapping,
                                                      const MappingContext& context,
                                                      absl::string_view path);

// A ConfigProblem with the given path, message and fix.
ferry::v1::ConfigProblem Problem(std::string field_path, std::string message, std::string fix);

}  // namespace ferry::mapping
