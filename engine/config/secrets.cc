#include "engine/config/secrets.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ferry::config {
namespace {

absl::StatusOr<std::string> FromEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') {
    return absl::NotFoundError(
        absl::StrCat("environment variable ", name, " is not set or empty"));
  }
  return std::string(value);
}

absl::StatusOr<std::string> FromFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::NotFoundError(
        absl::StrCat("secret file ", path, " does not exist"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::PermissionDeniedError(
        absl::StrCat("secret file ", path, " cannot be read by ferryd"));
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::string secret = content.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) {
    secret.pop_back();
  }
  if (secret.empty()) {
    return absl::NotFoundError(absl::StrCat("secret file ", path, " is empty"));
  }
  return secret;
}

}  // namespace

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
