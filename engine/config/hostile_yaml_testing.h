#pragma once

#include <string>

#include "absl/strings/str_cat.h"

namespace ferry::config {

// For tests: a YAML config of nested aliases, about 20 KB that stand for
// 40 million values once expanded: 200 uses of a mapping whose fields are
// 200 uses of one field mapping of 1,000 values. The shared field mapping
// (`&f`) is written on line 4. Every value is valid for the schema, so
// only the count of values can stop a reader.
inline std::string NestedAliasYaml() {
  std::string yaml = R"(mappings:
  - name: a
    fields:
      - &f {value_map: {values: {)";
  for (int i = 0; i < 1000; ++i) {
    absl::StrAppend(&yaml, i > 0 ? ", " : "", "k", i, ": v");
  }
  absl::StrAppend(&yaml, "}}}\n  - &m {name: b, fields: [");
  for (int i = 0; i < 200; ++i) absl::StrAppend(&yaml, i > 0 ? ", " : "", "*f");
  absl::StrAppend(&yaml, "]}\n");
  for (int i = 0; i < 200; ++i) absl::StrAppend(&yaml, "  - *m\n");
  return yaml;
}

}  // namespace ferry::config
