#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "proto/config.pb.h"

namespace ferry::config {

// Reads the secret a SecretRef points at: an environment variable's value,
// or a file's content with trailing newlines removed.
//
// Fails with NOT_FOUND when the variable is unset or empty, or the file is
// missing or empty; PERMISSION_DENIED when the file cannot be read;
// INVALID_ARGUMENT when the reference names no source. Error messages name
// the variable or path, never the secret. Thread-safe.
absl::StatusOr<std::string> ResolveSecret(const ferry::v1::SecretRef& ref);

}  // namespace ferry::config
