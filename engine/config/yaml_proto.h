#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/config/source_map.h"
#include "google/protobuf/message.h"
#include "proto/config.pb.h"

namespace ferry::config {

// The largest config read, in bytes. Real configs are a few kilobytes; the
// limit keeps a huge or runaway file from holding the parser (and ferryd,
// and the ValidateConfig call) for seconds. Checked before the YAML parser
// sees a byte.
inline constexpr size_t kMaxConfigBytes = 1 << 20;  // 1 MiB

// The most YAML nodes (fields, list items, map entries) read from one
// config, counted as they are read, with aliases expanded. An alias is
// cheap to write and shares its node in the parsed tree, but it is read
// once per use, so a few kilobytes of nested aliases can stand for
// billions of nodes; the walk stops at this limit instead, which keeps
// reading any config short by construction.
inline constexpr size_t kMaxConfigNodes = 100'000;

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
// Before parsing, the text is refused when it is larger than
// kMaxConfigBytes or is not valid UTF-8 (naming the line and column of the
// first bad byte), so neither the YAML parser nor protobuf sees such bytes;
// while reading, it is refused at the node past kMaxConfigNodes. No
// exception leaves: a YAML error is a problem like any other.
//
// Every problem is reported, not only the first: unknown fields (with the
// closest valid name), wrong kinds of value, bad enum values, durations and
// times, two members of one oneof. Each names the file, line, column and
// field path, and says how to fix it.
//
// How far ReadYamlFields got.
enum class YamlRead {
  // Every field was read; no problem.
  kComplete,
  // The text was read, but some fields have problems: `message` holds
  // every other field, so the rest of the config can still be checked.
  kFieldProblems,
  // The text could not be read (too large, not UTF-8, not YAML, past
  // kMaxConfigNodes): `message` holds nothing to check further.
  kUnreadable,
};

// As ReadYamlIntoMessage, saying how far it got, so a caller can check the
// rest of a config whose fields have problems (every problem at once).
YamlRead ReadYamlFields(absl::string_view yaml, absl::string_view file_name,
                        google::protobuf::Message* message, SourceMap* sources,
                        std::vector<ferry::v1::ConfigProblem>* problems);

// Returns true when `message` was filled without problems. `sources`
// receives the position of every field read. Thread-compatible.
bool ReadYamlIntoMessage(absl::string_view yaml, absl::string_view file_name,
                         google::protobuf::Message* message,
                         SourceMap* sources,
                         std::vector<ferry::v1::ConfigProblem>* problems);

}  // namespace ferry::config
