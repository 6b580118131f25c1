// ferryd's control endpoint with TLS and a bearer token, and its standard
// gRPC health service.
#include <condition_variable>
#include <mutex>

#include "engine/control/control_server.h"
#include "engine/runtime/pipeline.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "proto/control.grpc.pb.h"
#include "tests/support/fake_world.h"
#include "tests/support/self_signed.h"

namespace ferry::engine {
namespace {

constexpr char kToken[] = "tls-control-secret";

class ControlTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_ = ferry::testing::FakeWorld::Fresh("control_tls");
    files_ = ferry::testing::MintSelfSignedCertificate(world_.dir);
    ::setenv("FERRY_TLS_TEST_TOKEN", kToken, 1);
    auto config = world_.Config();
    ASSERT_TRUE(config.ok()) << config.status();
    auto* server = config->mutable_server();
    server->set_tls_cert_file(files_.certificate);
    server->set_tls_key_file(files_.private_key);
    server->mutable_control_token()->set_env("FERRY_TLS_TEST_TOKEN");
    EmbeddedPipeline::Options options;
    options.state_dir = world_.dir + "/state";
    auto pipeline = EmbeddedPipeline::Create(*config, options);
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    pipeline_ = *std::move(pipeline);
    auto control = StartControlServer(config->server(), "127.0.0.1:0", pipeline_.get());
    ASSERT_TRUE(control.ok()) << control.status();
    control_ = std::make_unique<ControlServer>(*std::move(control));
    address_ = "127.0.0.1:" + std::to_string(control_->port);
  }

  void TearDown() override {
    if (control_ != nullptr) control_->server->Shutdown();
  }

  std::shared_ptr<grpc::Channel> TlsChannel() {
    std::FILE* file = std::fopen(files_.certificate.c_str(), "r");
    std::string pem;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) pem.append(buffer, n);
    std::fclose(file);
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = pem;
    return grpc::CreateChannel(address_, grpc::SslCredentials(tls));
  }

  grpc::Status List(std::shared_ptr<grpc::Channel> channel, bool with_token) {
    auto stub = ferry::v1::Control::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (with_token) context.AddMetadata("authorization", std::string("Bearer ") + kToken);
    ferry::v1::ListIntegrationsResponse response;
    return stub->ListIntegrations(&context, ferry::v1::ListIntegrationsRequest(), &response);
  }

  ferry::testing::FakeWorld world_;
  ferry::testing::PemFiles files_;
  std::unique_ptr<EmbeddedPipeline> pipeline_;
  std::unique_ptr<ControlServer> control_;
  std::string address_;
};

TEST_F(ControlTlsTest, TlsWithTheTokenWorksPlaintextAndNoTokenDoNot) {
  EXPECT_TRUE(List(TlsChannel(), /*with_token=*/true).ok());
  EXPECT_EQ(List(TlsChannel(), /*with_token=*/false).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_FALSE(List(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()),
                    /*with_token=*/true)
                   .ok());
}

TEST_F(ControlTlsTest, HealthServiceAnswersServing) {
  // grpc.health.v1.Health/Check with an empty request; SERVING is field 1 = 1.
  grpc::GenericStub stub(TlsChannel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::ByteBuffer request, response;
  grpc::Slice empty("");
  request = grpc::ByteBuffer(&empty, 1);
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                 &response, [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = s;
                   done = true;
                   done_cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  done_cv.wait(lock, [&] { return done; });
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

}  // namespace
}  // namespace ferry::engine
