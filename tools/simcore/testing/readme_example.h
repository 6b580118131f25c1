#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ferry::simcore {

// The first fenced ```json block after the line `heading` ("## Seed
// format") of the Markdown file at `path`, parsed: how a simulator's
// README example is kept loadable by a test. NOT_FOUND naming the file and
// heading when either is missing; INVALID_ARGUMENT when the block is not
// JSON.
absl::StatusOr<nlohmann::json> ReadmeJsonExample(const std::string& path,
                                                 absl::string_view heading);

}  // namespace ferry::simcore
