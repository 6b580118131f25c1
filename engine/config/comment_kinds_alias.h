#pragma once

#include <vector>

#include "proto/config.pb.h"

namespace ferry::config {

// Turns each mapping's deprecated `comments.pagerduty_source` into the
// generic `comments.kinds` (see CommentMapping in proto/config.proto), so
// configs written before comment kinds were generic load unchanged and the
// rest of Ferry reads only `kinds`. The enum is cleared once translated.
// Returns a problem, at `mappings[i].comments.pagerduty_source`, for each
// mapping that sets both; its file and position are the caller's to fill.
// Pure; thread-compatible.
std::vector<ferry::v1::ConfigProblem> ResolveCommentKindsAlias(ferry::v1::FerryConfig* config);

}  // namespace ferry::config
