#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mapping/mapper.h"
#include "proto/config.pb.h"

namespace ferry::engine {

// One integration resolved from the config once, for the stages that run
// it: its settings, the kinds of its two systems, and the mappers of its
// flows. Immutable and thread-safe once made.
struct IntegrationPlan {
  ferry::v1::IntegrationConfig config;
  ferry::v1::MappingConfig mapping;
  ferry::v1::SystemConfig source_system;
  ferry::v1::SystemConfig target_system;
  // Source → target.
  std::unique_ptr<const mapping::Mapper> forward;
  // Target → source; set only for direction BOTH.
  std::unique_ptr<const mapping::Mapper> reverse;
  // Criteria left to the reader's API, for changes read from the source
  // and from the target: only those Ferry cannot evaluate itself (rich
  // JQL). Criteria Ferry can evaluate go to the mappers instead, so a
  // linked entity that stops matching still reaches the writer, which keeps
  // it in sync unless stop_when_unmatched (OIM's semantics). With reader
  // criteria, an entity that stops matching is no longer read: it behaves
  // as stop_when_unmatched whatever the setting.
  std::string source_reader_criteria;
  std::string target_reader_criteria;

  // The mapper for changes read from `system` (the integration's source or
  // target system name); nullptr when no flow starts there.
  const mapping::Mapper* MapperFor(absl::string_view system) const;

  // The system that changes read from `system` are written to.
  const ferry::v1::SystemConfig& OtherSide(absl::string_view system) const;
};

// Resolves `integration` of `config`. Fails with InvalidArgument, naming
// the integration, when a system, mapping or schema it needs is missing or
// the mapping cannot run (run config validation first for every problem at
// once).
absl::StatusOr<std::shared_ptr<const IntegrationPlan>> PlanIntegration(
    const ferry::v1::FerryConfig& config,
    const ferry::v1::IntegrationConfig& integration);

}  // namespace ferry::engine
