#include "engine/config/tls_files.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/self_signed.h"

namespace ferry::config {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class TlsFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(std::getenv("TEST_TMPDIR")) + "/tls_files";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/a");
    std::filesystem::create_directories(dir_ + "/b");
    a_ = ferry::testing::MintSelfSignedCertificate(dir_ + "/a");
    b_ = ferry::testing::MintSelfSignedCertificate(dir_ + "/b");
  }

  TlsSettings Settings(const std::string& cert, const std::string& key,
                       const std::string& ca) const {
    return {{"stage_tls_cert_file", cert}, {"stage_tls_key_file", key},
            {"stage_tls_ca_file", ca}};
  }

  std::string Write(const std::string& name, const std::string& text) const {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  std::string dir_;
  ferry::testing::PemFiles a_;
  ferry::testing::PemFiles b_;
};

TEST_F(TlsFilesTest, ReadsAMatchingPairAndItsCa) {
  auto files = ReadTlsFiles(Settings(a_.certificate, a_.private_key, b_.certificate));
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(files->certificate, StartsWith("-----BEGIN CERTIFICATE-----"));
  EXPECT_THAT(files->private_key, HasSubstr("PRIVATE KEY"));
  EXPECT_THAT(files->ca, StartsWith("-----BEGIN CERTIFICATE-----"));
}

TEST_F(TlsFilesTest, NoCaNamedLeavesItEmpty) {
  auto files = ReadTlsFiles(Settings(a_.certificate, a_.private_key, ""));
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_TRUE(files->ca.empty());
}

TEST_F(TlsFilesTest, EachFileProblemNamesTheSettingTheFileAndTheCause) {
  const std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string empty = Write("empty.pem", "\n");
  const std::string garbage = Write("garbage.pem", "not a pem file\n");
  struct Case {
    TlsSettings settings;
    std::string option;
    std::string message;
  };
  const std::vector<Case> cases = {
      {Settings(dir_ + "/none.crt", a_.private_key, ""), "stage_tls_cert_file",
       "stage_tls_cert_file: " + dir_ + "/none.crt does not exist"},
      {Settings(dir_ + "/a", a_.private_key, ""), "stage_tls_cert_file",
       "stage_tls_cert_file: " + dir_ + "/a is a directory"},
      {Settings(a_.certificate, fifo, ""), "stage_tls_key_file",
       "stage_tls_key_file: " + fifo + " is a FIFO"},
      {Settings(a_.certificate, empty, ""), "stage_tls_key_file",
       "stage_tls_key_file: " + empty + " is empty"},
      {Settings(garbage, a_.private_key, ""), "stage_tls_cert_file",
       "stage_tls_cert_file: " + garbage + " holds no PEM certificate"},
      {Settings(a_.certificate, garbage, ""), "stage_tls_key_file",
       "stage_tls_key_file: " + garbage + " holds no PEM private key"},
      {Settings(a_.certificate, b_.private_key, ""), "stage_tls_key_file",
       "stage_tls_key_file: " + b_.private_key + " does not match the certificate " +
           a_.certificate},
      {Settings(a_.certificate, a_.private_key, dir_ + "/none.ca"), "stage_tls_ca_file",
       "stage_tls_ca_file: " + dir_ + "/none.ca does not exist"},
      {Settings(a_.certificate, a_.private_key, garbage), "stage_tls_ca_file",
       "stage_tls_ca_file: " + garbage + " holds no PEM CA certificate"},
      {Settings("", a_.private_key, ""), "stage_tls_cert_file",
       "stage_tls_cert_file: no file is named"},
  };
  for (const Case& c : cases) {
    std::string failed;
    auto files = ReadTlsFiles(c.settings, &failed);
    ASSERT_FALSE(files.ok()) << c.message;
    EXPECT_THAT(std::string(files.status().message()), StartsWith(c.message));
    EXPECT_EQ(failed, c.option) << c.message;
  }
}

TEST_F(TlsFilesTest, AnUnreadableFileIsNamedAsSuch) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  ASSERT_EQ(::chmod(a_.private_key.c_str(), 0), 0);
  auto files = ReadTlsFiles(Settings(a_.certificate, a_.private_key, ""));
  ASSERT_FALSE(files.ok());
  EXPECT_THAT(std::string(files.status().message()),
              StartsWith("stage_tls_key_file: " + a_.private_key + " cannot be read"));
}

TEST_F(TlsFilesTest, AMessageNeverHoldsTheKey) {
  auto files = ReadTlsFiles(Settings(a_.certificate, b_.private_key, ""));
  ASSERT_FALSE(files.ok());
  std::ifstream in(b_.private_key);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("-----", 0) == 0) continue;
    EXPECT_THAT(std::string(files.status().message()), ::testing::Not(HasSubstr(line)));
  }
}

}  // namespace
}  // namespace ferry::config
