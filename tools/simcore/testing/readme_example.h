#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ferry::simcore {

// The text of the first fenced block of `language` ("```yaml") after the
// line `heading` ("## Quick start") of the Markdown file at `path`: how a
// README's example is kept true by a test that loads it. NOT_FOUND naming
// the file and heading when either, or the block, is missing.
absl::StatusOr<std::string> ReadmeFencedBlock(const std::string& path,
                                              absl::string_view heading,
                                              absl::string_view language);

// ReadmeFencedBlock's ```json block, parsed; INVALID_ARGUMENT when it is
// not JSON.
absl::StatusOr<nlohmann::json> ReadmeJsonExample(const std::string& path,
                                                 absl::string_view heading);

}  // namespace ferry::simcore
