#include "engine/config/secrets.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace ferry::config {
namespace {

absl::StatusOr<std::string> FromEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("environment variable ", name, " is not set"));
  }
  if (*value == '\0') {
    return absl::NotFoundError(
        absl::StrCat("environment variable ", name, " is empty"));
  }
  return std::string(value);
}

// What kind of file `mode` is, for a path that is not a regular file.
const char* NotRegularKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

absl::StatusOr<std::string> FromFile(const std::string& path) {
  auto content = ReadRegularFile(path);
  if (!content.ok()) {
    return absl::Status(content.status().code(),
                        absl::StrCat("secret file ", content.status().message()));
  }
  std::string secret = *std::move(content);
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) {
    secret.pop_back();
  }
  if (secret.empty()) {
    return absl::NotFoundError(absl::StrCat("secret file ", path, " is empty"));
  }
  return secret;
}

}  // namespace

absl::StatusOr<std::string> ReadRegularFile(const std::string& path, size_t max_bytes) {
  // stat follows symbolic links, as the open below does.
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return absl::NotFoundError(absl::StrCat(path, " does not exist"));
    }
    return absl::PermissionDeniedError(
        absl::StrCat(path, " cannot be reached: ", std::strerror(error)));
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is ", NotRegularKind(info.st_mode),
                     ", not a regular file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::PermissionDeniedError(
        absl::StrCat(path, " cannot be read by this process (permission)"));
  }
  std::string content;
  char buffer[64 * 1024];
  while (content.size() < max_bytes && in.read(buffer, sizeof buffer).gcount() > 0) {
    content.append(buffer, std::min(static_cast<size_t>(in.gcount()),
                                    max_bytes - content.size()));
  }
  if (in.bad()) {
    return absl::PermissionDeniedError(
        absl::StrCat(path, " could not be read to its end (I/O error)"));
  }
  return content;
}

absl::Status CheckSecret(const ferry::v1::SecretRef& ref) {
  // The value read is dropped here: only the status leaves.
  return ResolveSecret(ref).status();
}

absl::StatusOr<std::string> ResolveSecret(const ferry::v1::SecretRef& ref) {
  switch (ref.source_case()) {
    case ferry::v1::SecretRef::kEnv:
      return FromEnv(ref.env());
    case ferry::v1::SecretRef::kFile:
      return FromFile(ref.file());
    case ferry::v1::SecretRef::SOURCE_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      "the secret names no source; write {env: VARIABLE} or {file: PATH}");
}

}  // namespace ferry::config
