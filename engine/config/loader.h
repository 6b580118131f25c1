#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/config/source_map.h"
#include "engine/config/validate.h"
#include "engine/config/yaml_proto.h"
#include "proto/config.pb.h"

namespace ferry::config {

// A config file as read: the config, where each field was written, and
// every problem found.
struct LoadedConfig {
  ferry::v1::FerryConfig config;
  SourceMap sources;
  // Empty when the config can run. In file order (by line and column).
  std::vector<ferry::v1::ConfigProblem> problems;

  bool ok() const { return problems.empty(); }
};

// Reads and validates a YAML config and reports every problem at once, in
// file order (InFileOrder): the schema (ReadYamlFields), the structure
// (ValidateConfig) and the meaning of mappings, criteria and lookups
// (mapping::ValidateConfig, whose problems get their file and line here)
// are all checked, the later passes over what the schema could read; a
// mistake one pass found is not reported again by the next. Only a text
// that cannot be read at all stops at its one problem. Never throws;
// a path that cannot be read is reported as a problem naming the cause
// (missing, a directory, a FIFO or other non-regular file, which is never
// opened, so a FIFO cannot block the read; unreadable; empty). Reading is
// bounded: a file larger than kMaxConfigBytes, one that is not UTF-8 and
// one of more than kMaxConfigNodes values (aliases expanded) are refused
// with a problem (see ReadYamlIntoMessage), so a hostile file costs little time
// and memory. Thread-safe.
LoadedConfig LoadConfigFile(const std::string& path,
                            const ValidationOptions& options);

// As LoadConfigFile, for text already in memory; `file_name` is used in
// problem reports.
LoadedConfig LoadConfigText(absl::string_view yaml,
                            absl::string_view file_name,
                            const ValidationOptions& options);

}  // namespace ferry::config
