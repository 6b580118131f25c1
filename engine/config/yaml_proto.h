#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/config/source_map.h"
#include "google/protobuf/message.h"
#include "proto/config.pb.h"

namespace ferry::config {

// Reads YAML text into a proto message, with the proto as the one schema.
//
// The YAML tree is checked field by field against the message's descriptor
// and rewritten as the message's JSON form, which protobuf's JSON parser
// then reads; so every field name, enum value and well-known type follows
// the proto JSON mapping, with these conveniences for people writing YAML:
//   - field names in snake_case or lowerCamelCase;
//   - enum values by full name (SYNC_WHEN_CREATE) or without their common
//     prefix, in any case (CREATE, create);
//   - durations as "90s", "5m", "1h30m", "250ms";
//   - a SecretRef written as a plain string is refused: secrets are never
//     inline (the problem does not repeat the value).
//
// Every problem is reported, not only the first: unknown fields (with the
// closest valid name), wrong kinds of value, bad enum values, durations and
// times, two members of one oneof. Each names the file, line, column and
// field path, and says how to fix it.
//
// Returns true when `message` was filled without problems. `sources`
// receives the position of every field read. Thread-compatible.
bool ReadYamlIntoMessage(absl::string_view yaml, absl::string_view file_name,
                         google::protobuf::Message* message,
                         SourceMap* sources,
                         std::vector<ferry::v1::ConfigProblem>* problems);

}  // namespace ferry::config
