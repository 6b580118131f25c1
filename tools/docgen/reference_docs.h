#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "tools/docgen/proto_reference.h"

namespace ferry::docgen {

// Every reference page, by path under docs/generated/: "config.md" from
// proto/config.proto's comments, and "systems/<kind>.md" for each
// registered system kind, from its schema (fields, comment kinds, query
// examples) and its options message's comments. Only kinds linked into
// the program appear. Fails when a kind's options message is missing from
// `sources`, naming where to add it.
absl::StatusOr<std::map<std::string, std::string>> ReferencePages(
    const ProtoSources& sources);

}  // namespace ferry::docgen
