#include "engine/config/secrets.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace ferry::config {
namespace {

constexpr char kSecret[] = "u+Zx-very-secret-token";

TEST(ResolveSecretTest, ReadsEnvironmentVariable) {
  ::setenv("FERRY_TEST_SECRET", kSecret, 1);
  ferry::v1::SecretRef ref;
  ref.set_env("FERRY_TEST_SECRET");
  const auto secret = ResolveSecret(ref);
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(*secret, kSecret);
}

TEST(ResolveSecretTest, UnsetVariableNamesTheVariable) {
  ::unsetenv("FERRY_TEST_UNSET");
  ferry::v1::SecretRef ref;
  ref.set_env("FERRY_TEST_UNSET");
  const auto secret = ResolveSecret(ref);
  EXPECT_EQ(secret.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(secret.status().message(),
            "environment variable FERRY_TEST_UNSET is not set or empty");
}

TEST(ResolveSecretTest, ReadsFileWithoutTrailingNewline) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR")) + "/secret.txt";
  std::ofstream(path) << kSecret << "\n";
  ferry::v1::SecretRef ref;
  ref.set_file(path);
  const auto secret = ResolveSecret(ref);
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(*secret, kSecret);
}

TEST(ResolveSecretTest, MissingFileNamesThePath) {
  ferry::v1::SecretRef ref;
  ref.set_file("/nonexistent/ferry/secret");
  const auto secret = ResolveSecret(ref);
  EXPECT_EQ(secret.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(secret.status().message(),
            "secret file /nonexistent/ferry/secret does not exist");
}

TEST(ResolveSecretTest, EmptyFileIsAnError) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR")) + "/empty.txt";
  std::ofstream(path) << "\n";
  ferry::v1::SecretRef ref;
  ref.set_file(path);
  EXPECT_EQ(ResolveSecret(ref).status().code(), absl::StatusCode::kNotFound);
}

TEST(ResolveSecretTest, ReferenceWithoutSourceIsInvalid) {
  EXPECT_EQ(ResolveSecret(ferry::v1::SecretRef()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ferry::config
