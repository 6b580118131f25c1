#ifndef FERRY_TOOLS_VERSION_VERSION_H_
#define FERRY_TOOLS_VERSION_VERSION_H_

#include <string>
#include <string_view>

namespace ferry {

// The release number, from the top-level VERSION file.
std::string_view Version();

// The git commit the binary was built from, or "unknown" when built
// outside a git clone.
std::string_view Revision();

// What `PROGRAM --version` prints: "ferryd 0.1.0 (revision 1a2b…)".
std::string VersionLine(std::string_view program);

// Makes `--version` (Abseil's built-in flag, handled by
// absl::ParseCommandLine) print VersionLine(program) and exit 0. Call it
// before absl::ParseCommandLine.
void SetVersionFlag(std::string_view program);

}  // namespace ferry

#endif  // FERRY_TOOLS_VERSION_VERSION_H_
