// Mutual TLS on the stage streams (server.stage_mtls): a stage refuses a
// peer without a certificate of the stages' CA (none, plain text, or one of
// another CA), a correctly configured reader, transformer and writer sync,
// and a restarted stage (as a SIGHUP reload restarts it) takes up rotated
// certificates.
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/runtime/stage_process.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/fake_world.h"
#include "tests/support/grpc_health.h"
#include "tests/support/self_signed.h"
#include "tests/support/values.h"

namespace ferry::engine {
namespace {

using ::ferry::testing::IsServing;
using ::ferry::testing::PemFiles;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class StageMtlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_ = ferry::testing::FakeWorld::Fresh("stage_mtls");
    for (const char* dir : {"/stages", "/stranger"}) {
      std::filesystem::create_directories(world_.dir + dir);
    }
    // A self-signed certificate is its own CA: every stage presents it and
    // trusts it. The stranger's is of another CA.
    stages_ = ferry::testing::MintSelfSignedCertificate(world_.dir + "/stages");
    stranger_ = ferry::testing::MintSelfSignedCertificate(world_.dir + "/stranger");
    auto config = world_.Config();
    ASSERT_TRUE(config.ok()) << config.status();
    config_ = *std::move(config);
    auto* server = config_.mutable_server();
    server->set_stage_mtls(true);
    server->set_stage_tls_cert_file(stages_.certificate);
    server->set_stage_tls_key_file(stages_.private_key);
    server->set_stage_tls_ca_file(stages_.certificate);
  }

  std::unique_ptr<StageProcess> StartStage(const std::string& stage,
                                           const std::string& downstream = "") {
    StageOptions options;
    options.stage = stage;
    options.listen = "127.0.0.1:0";
    if (!downstream.empty()) options.downstream = {downstream};
    options.state_dir = world_.dir + "/" + stage;
    auto process = StageProcess::Start(config_, options);
    EXPECT_TRUE(process.ok()) << process.status();
    return process.ok() ? *std::move(process) : nullptr;
  }

  // A TLS client trusting the stages' CA, presenting `client` (when
  // given) as its certificate.
  static std::shared_ptr<grpc::Channel> TlsChannel(int port, const std::string& ca,
                                                   const PemFiles* client) {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = Read(ca);
    if (client != nullptr) {
      tls.pem_cert_chain = Read(client->certificate);
      tls.pem_private_key = Read(client->private_key);
    }
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::SslCredentials(tls));
  }

  ferry::testing::FakeWorld world_;
  PemFiles stages_;
  PemFiles stranger_;
  ferry::v1::FerryConfig config_;
};

TEST_F(StageMtlsTest, AStageRefusesPeersWithoutACertificateOfTheStagesCa) {
  auto writer = StartStage("writer");
  ASSERT_NE(writer, nullptr);
  const int port = writer->port();

  auto stage_peer = IsServing(TlsChannel(port, stages_.certificate, &stages_));
  ASSERT_TRUE(stage_peer.ok()) << stage_peer.status();
  EXPECT_TRUE(*stage_peer);

  EXPECT_FALSE(IsServing(TlsChannel(port, stages_.certificate, nullptr)).ok())
      << "a TLS client without a certificate was served";
  EXPECT_FALSE(IsServing(TlsChannel(port, stages_.certificate, &stranger_)).ok())
      << "a client with a certificate of another CA was served";
  EXPECT_FALSE(IsServing(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                             grpc::InsecureChannelCredentials()))
                   .ok())
      << "a plain-text client was served";
}

TEST_F(StageMtlsTest, StagesWithCertificatesOfTheCaSync) {
  auto source = world_.Source();
  ASSERT_TRUE(source.ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(source->Create("SRC", "Task",
                               {{"Title", ferry::testing::TextValue(absl::StrCat("t", i))}},
                               ferry::testing::Person("alice"))
                    .ok());
  }
  auto writer = StartStage("writer");
  ASSERT_NE(writer, nullptr);
  auto transformer = StartStage("transformer", absl::StrCat("127.0.0.1:", writer->port()));
  ASSERT_NE(transformer, nullptr);
  auto reader = StartStage("reader", absl::StrCat("127.0.0.1:", transformer->port()));
  ASSERT_NE(reader, nullptr);
  auto target = world_.Target();
  ASSERT_TRUE(target.ok());
  EXPECT_TRUE(ferry::testing::WaitForEntities(*target, "DST", 5));
  auto differences = ferry::testing::Differences(world_);
  ASSERT_TRUE(differences.ok()) << differences.status();
  EXPECT_THAT(*differences, ::testing::IsEmpty());
}

TEST_F(StageMtlsTest, ARestartedStageTakesUpRotatedCertificates) {
  const PemFiles old_files{world_.dir + "/old.crt", world_.dir + "/old.key"};
  std::filesystem::copy_file(stages_.certificate, old_files.certificate);
  std::filesystem::copy_file(stages_.private_key, old_files.private_key);
  auto writer = StartStage("writer");
  ASSERT_NE(writer, nullptr);
  const int port = writer->port();
  // The files are replaced by a new certificate, key and CA in place.
  const PemFiles rotated = ferry::testing::MintSelfSignedCertificate(world_.dir + "/stages");
  EXPECT_TRUE(IsServing(TlsChannel(port, old_files.certificate, &old_files)).ok())
      << "the running stage keeps the certificates it loaded";

  writer.reset();  // What a SIGHUP reload does: stop, then start again.
  auto restarted = StartStage("writer");
  ASSERT_NE(restarted, nullptr);
  auto with_rotated = IsServing(TlsChannel(restarted->port(), rotated.certificate, &rotated));
  ASSERT_TRUE(with_rotated.ok()) << with_rotated.status();
  EXPECT_TRUE(*with_rotated);
  EXPECT_FALSE(IsServing(TlsChannel(restarted->port(), rotated.certificate, &old_files)).ok())
      << "a client with the replaced certificate was still served";
}

TEST_F(StageMtlsTest, AStageFileThatDoesNotLoadStartsNothingAndIsNamed) {
  config_.mutable_server()->set_stage_tls_ca_file(world_.dir + "/none.pem");
  StageOptions options;
  options.stage = "writer";
  options.listen = "127.0.0.1:0";
  options.state_dir = world_.dir + "/writer";
  auto process = StageProcess::Start(config_, options);
  ASSERT_FALSE(process.ok());
  EXPECT_EQ(process.status().message(),
            absl::StrCat("server.stage_tls_ca_file: ", world_.dir, "/none.pem does not exist"));
}

}  // namespace
}  // namespace ferry::engine
