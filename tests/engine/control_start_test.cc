// What StartControlServer refuses before serving anything: the control
// API beyond loopback without a token, and TLS files that are missing,
// not PEM, or whose key is not the certificate's, each named as such
// rather than as an address that cannot be listened on.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/control/control_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/self_signed.h"

namespace ferry::engine {
namespace {

using ::testing::HasSubstr;

// No RPC reaches the service in these tests, so it runs no pipeline.
PipelineView* const kNoPipeline = nullptr;

std::string TestDir(const std::string& name) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::filesystem::create_directories(dir);
  return dir;
}

absl::Status StartStatus(const ferry::v1::ServerConfig& server,
                         const std::string& listen) {
  auto control = StartControlServer(server, listen, kNoPipeline);
  if (control.ok()) control->server->Shutdown();
  return control.status();
}

TEST(ControlStartTest, BeyondLoopbackWithoutATokenIsRefused) {
  for (const char* listen : {"0.0.0.0:0", "[::]:0"}) {
    const absl::Status status = StartStatus(ferry::v1::ServerConfig(), listen);
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << listen;
    EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("the control API on ", listen)));
    EXPECT_THAT(status.message(),
                HasSubstr("set server.control_token, or listen on 127.0.0.1"));
  }
}

TEST(ControlStartTest, BeyondLoopbackWithATokenServesAndRequiresIt) {
  ::setenv("FERRY_START_TEST_TOKEN", "start-test-token", 1);
  ferry::v1::ServerConfig server;
  server.mutable_control_token()->set_env("FERRY_START_TEST_TOKEN");
  auto control = StartControlServer(server, "0.0.0.0:0", kNoPipeline);
  ASSERT_TRUE(control.ok()) << control.status();
  EXPECT_TRUE(control->requires_token);
  control->server->Shutdown();
}

TEST(ControlStartTest, LoopbackWithoutATokenServesOpen) {
  auto control =
      StartControlServer(ferry::v1::ServerConfig(), "127.0.0.1:0", kNoPipeline);
  ASSERT_TRUE(control.ok()) << control.status();
  EXPECT_FALSE(control->requires_token);
  control->server->Shutdown();
}

TEST(ControlStartTest, AKeyThatIsNotTheCertificatesIsNamedAsSuch) {
  const auto first = ferry::testing::MintSelfSignedCertificate(TestDir("first"));
  const auto second = ferry::testing::MintSelfSignedCertificate(TestDir("second"));
  ferry::v1::ServerConfig server;
  server.set_tls_cert_file(first.certificate);
  server.set_tls_key_file(second.private_key);
  const absl::Status status = StartStatus(server, "127.0.0.1:0");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            absl::StrCat("server.tls_key_file: ", second.private_key,
                         " does not match the certificate ", first.certificate));
}

TEST(ControlStartTest, TlsFileProblemsNameTheSettingTheFileAndTheCause) {
  const auto files = ferry::testing::MintSelfSignedCertificate(TestDir("good"));
  const std::string dir = TestDir("bad");
  const std::string not_pem = dir + "/not.pem";
  std::ofstream(not_pem) << "not a certificate\n";

  ferry::v1::ServerConfig server;
  server.set_tls_cert_file(dir + "/missing.crt");
  server.set_tls_key_file(files.private_key);
  EXPECT_EQ(StartStatus(server, "127.0.0.1:0").message(),
            absl::StrCat("server.tls_cert_file: ", dir, "/missing.crt does not exist"));

  server.set_tls_cert_file(files.certificate);
  server.set_tls_key_file(dir);
  EXPECT_EQ(StartStatus(server, "127.0.0.1:0").message(),
            absl::StrCat("server.tls_key_file: ", dir,
                         " is a directory, not a regular file"));

  server.set_tls_cert_file(not_pem);
  server.set_tls_key_file(files.private_key);
  EXPECT_EQ(StartStatus(server, "127.0.0.1:0").message(),
            absl::StrCat("server.tls_cert_file: ", not_pem,
                         " holds no PEM certificate"));

  server.set_tls_cert_file(files.certificate);
  server.set_tls_key_file(not_pem);
  EXPECT_EQ(StartStatus(server, "127.0.0.1:0").message(),
            absl::StrCat("server.tls_key_file: ", not_pem,
                         " holds no PEM private key (or one with a passphrase)"));
}

}  // namespace
}  // namespace ferry::engine
