#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/config/source_map.h"
#include "proto/config.pb.h"

namespace ferry::config {

// What the validator may assume about the ferryd that will run a config.
struct ValidationOptions {
  // Connector kinds that can run ("pagerduty", "jira"); a system of any
  // other kind is a problem. Comes from the connector registry.
  std::vector<std::string> system_kinds;

  // Whether a system of `kind` has a field named `field`. When unset,
  // field names in mappings and lookups are not checked.
  std::function<bool(absl::string_view kind, absl::string_view field)>
      field_exists;

  // Also read every secret now and report those that cannot be read (on
  // the host that will run ferryd). Values are never reported.
  bool check_secrets = false;
};

// Checks the meaning of a parsed config: every system, mapping and
// integration is complete and refers to things that exist, and no setting
// is out of range. Returns every problem found, in config order, each at
// the position `sources` recorded for its field in `file`; empty when the
// config can run. Pure apart from `check_secrets`. Thread-safe.
std::vector<ferry::v1::ConfigProblem> ValidateConfig(
    const ferry::v1::FerryConfig& config, const ValidationOptions& options,
    absl::string_view file, const SourceMap& sources);

// The @Field@ placeholders of a template or lookup query, in order.
// Fails when an '@' has no partner; `error` then says where.
bool ParsePlaceholders(absl::string_view text, std::vector<std::string>* names,
                       std::string* error);

}  // namespace ferry::config
