#pragma once

#include <cstddef>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/config.pb.h"

namespace ferry::config {

// Checks, without reading a value into the result, that the secret a
// SecretRef points at can be read the way ResolveSecret reads it, so
// `ferryctl validate` and ferryd report the same cause:
//
// - NOT_FOUND: the environment variable is unset or empty, or the file
//   does not exist or is empty (once its trailing newlines are removed);
// - FAILED_PRECONDITION: the path is a directory, or a FIFO, socket or
//   device (found with stat: a FIFO is never opened, which would block
//   until a writer came);
// - PERMISSION_DENIED: the file cannot be read by this process;
// - INVALID_ARGUMENT: the reference names no source.
//
// Messages name the variable or path, never the secret. Thread-safe.
absl::Status CheckSecret(const ferry::v1::SecretRef& ref);

// Reads a whole regular file, such as a secret or a PEM file. Fails naming
// `path` and the cause: NOT_FOUND when it does not exist;
// FAILED_PRECONDITION when it is a directory, FIFO, socket or device (found
// with stat first: opening a FIFO would block until a writer came);
// PERMISSION_DENIED when this process may not read it. Reads at most
// `max_bytes` bytes: a caller with a size limit passes one byte more than
// it, to tell a file over the limit without reading all of it.
// Thread-safe.
absl::StatusOr<std::string> ReadRegularFile(
    const std::string& path, size_t max_bytes = std::numeric_limits<size_t>::max());

// Reads the secret a SecretRef points at: an environment variable's value,
// or a regular file's content with trailing newlines removed. Fails as
// CheckSecret does. Thread-safe.
absl::StatusOr<std::string> ResolveSecret(const ferry::v1::SecretRef& ref);

}  // namespace ferry::config
