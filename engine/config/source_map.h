#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "proto/config.pb.h"

namespace ferry::config {

// Where a value sits in a config file. 1-based; 0 means unknown.
struct SourcePosition {
  int line = 0;
  int column = 0;
};

// Remembers where each field of a parsed config file was written, by field
// path ("integrations[0].source.system"), so that problems found after
// parsing still point at a line.
//
// Not thread-safe; fill it once, then read it from any thread.
class SourceMap {
 public:
  // Records the position of `path`; a later call for the same path wins.
  void Record(const std::string& path, SourcePosition position);

  // Position of `path` or, when it was not written (a missing field), of
  // its nearest written ancestor. {0, 0} when nothing on the way is known.
  SourcePosition Find(absl::string_view path) const;

 private:
  absl::flat_hash_map<std::string, SourcePosition> positions_;
};

// Makes a problem report for `path` of `file`, at the position `sources`
// knows for it.
ferry::v1::ConfigProblem MakeProblem(absl::string_view file,
                                     const SourceMap& sources,
                                     absl::string_view path,
                                     absl::string_view message,
                                     absl::string_view fix);

// One line a person reads: "file:line:column: path: message. Fix: fix".
std::string FormatProblem(const ferry::v1::ConfigProblem& problem);

}  // namespace ferry::config
