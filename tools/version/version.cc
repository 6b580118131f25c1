#include "tools/version/version.h"

#include <string>

#include "absl/flags/usage_config.h"

namespace ferry {
namespace version_internal {
// Defined in version_stamp.cc, which Bazel generates from the workspace
// status at build time.
extern const char kVersion[];
extern const char kRevision[];
}  // namespace version_internal

std::string_view Version() { return version_internal::kVersion; }

std::string_view Revision() { return version_internal::kRevision; }

std::string VersionLine(std::string_view program) {
  std::string line(program);
  line.append(" ").append(Version()).append(" (revision ").append(Revision());
  return line.append(")");
}

void SetVersionFlag(std::string_view program) {
  absl::FlagsUsageConfig config;
  config.version_string = [line = VersionLine(program)] { return line + "\n"; };
  absl::SetFlagsUsageConfig(config);
}

}  // namespace ferry
