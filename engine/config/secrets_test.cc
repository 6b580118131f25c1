#include "engine/config/secrets.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace ferry::config {
namespace {

constexpr char kSecret[] = "u+Zx-very-secret-token";

std::string TestPath(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

ferry::v1::SecretRef FileRef(const std::string& path) {
  ferry::v1::SecretRef ref;
  ref.set_file(path);
  return ref;
}

// CheckSecret and ResolveSecret fail alike on `ref`, with `code` and
// `message`, and neither message carries the secret.
void ExpectFailure(const ferry::v1::SecretRef& ref, absl::StatusCode code,
                   const std::string& message) {
  const absl::Status checked = CheckSecret(ref);
  EXPECT_EQ(checked.code(), code) << checked;
  EXPECT_EQ(checked.message(), message);
  EXPECT_EQ(ResolveSecret(ref).status(), checked);
}

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
  ExpectFailure(ref, absl::StatusCode::kNotFound,
                "environment variable FERRY_TEST_UNSET is not set");
}

TEST(ResolveSecretTest, EmptyVariableIsNamedAsEmpty) {
  ::setenv("FERRY_TEST_EMPTY", "", 1);
  ferry::v1::SecretRef ref;
  ref.set_env("FERRY_TEST_EMPTY");
  ExpectFailure(ref, absl::StatusCode::kNotFound,
                "environment variable FERRY_TEST_EMPTY is empty");
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
  EXPECT_TRUE(CheckSecret(ref).ok());
}

TEST(ResolveSecretTest, MissingFileNamesThePath) {
  ExpectFailure(FileRef("/nonexistent/ferry/secret"),
                absl::StatusCode::kNotFound,
                "secret file /nonexistent/ferry/secret does not exist");
}

TEST(ResolveSecretTest, DirectoryIsNamedAsADirectory) {
  const std::string path = TestPath("secret-dir");
  std::filesystem::create_directories(path);
  ExpectFailure(FileRef(path), absl::StatusCode::kFailedPrecondition,
                "secret file " + path +
                    " is a directory, not a regular file");
}

// A FIFO would block the reader until a writer came: it must be refused
// from its type, without being opened (the test would hang otherwise).
TEST(ResolveSecretTest, FifoIsNamedAsAFifoWithoutBlocking) {
  const std::string path = TestPath("secret-fifo");
  ::unlink(path.c_str());
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  ExpectFailure(FileRef(path), absl::StatusCode::kFailedPrecondition,
                "secret file " + path +
                    " is a FIFO, not a regular file");
}

TEST(ResolveSecretTest, UnreadableFileIsNamedAsUnreadable) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "running as root, which reads any file";
  }
  const std::string path = TestPath("unreadable.txt");
  std::ofstream(path) << kSecret;
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  ExpectFailure(FileRef(path), absl::StatusCode::kPermissionDenied,
                "secret file " + path +
                    " cannot be read by this process (permission)");
}

TEST(ResolveSecretTest, EmptyFileIsAnError) {
  const std::string path = TestPath("empty.txt");
  std::ofstream(path) << "\n";
  ExpectFailure(FileRef(path), absl::StatusCode::kNotFound,
                "secret file " + path + " is empty");
}

TEST(ResolveSecretTest, ReferenceWithoutSourceIsInvalid) {
  EXPECT_EQ(ResolveSecret(ferry::v1::SecretRef()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ferry::config
