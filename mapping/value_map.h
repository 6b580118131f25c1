#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/config.pb.h"

namespace ferry::mapping {

// Look-up value translation (ferry.v1.ValueMap). Pure and thread-safe.

// True when the map translates nothing: no entries (either way) and no
// default. Such a map passes value names through unchanged.
bool IsIdentity(const ferry::v1::ValueMap& map);

// The target name for source value `name`: its entry in `values`, else
// `default_value`, else `name` itself when the map is the identity. Fails
// with NotFound naming `field` and the value when there is no entry and no
// default.
absl::StatusOr<std::string> MapForward(const ferry::v1::ValueMap& map, absl::string_view name,
                                       absl::string_view field);

// The map for the reverse direction, as a forward map: explicit
// `reverse_values`, plus every target value that exactly one source value
// maps to (derived), with `reverse_default_value` as its default. Target
// values that several source values map to and that have no explicit entry
// are left out (see AmbiguousReverseValues), so they fail or take the
// default. Its own reverse entries are `map`'s forward ones. Deterministic.
ferry::v1::ValueMap ReverseOf(const ferry::v1::ValueMap& map);

// Target values that several source values map to and that have no
// `reverse_values` entry, sorted; each needs an explicit entry (or a
// reverse default) before the reverse direction can translate it.
std::vector<std::string> AmbiguousReverseValues(const ferry::v1::ValueMap& map);

// The source values that map to `target_value`, sorted.
std::vector<std::string> SourcesOf(const ferry::v1::ValueMap& map, absl::string_view target_value);

}  // namespace ferry::mapping
