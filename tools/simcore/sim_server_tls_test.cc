// SimServerOptions::tls_cert_file/tls_key_file: the simulator speaks HTTPS,
// admin API included, for clients that hard-code https://.
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/self_signed.h"
#include "tools/simcore/sim_server.h"

namespace ferry::simcore {
namespace {

std::string TempPath(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

TEST(SimServerTlsTest, ServesHttpsWithTheGivenCertificate) {
  const ferry::testing::PemFiles pem =
      ferry::testing::MintSelfSignedCertificate(std::getenv("TEST_TMPDIR"));
  const std::string& cert = pem.certificate;
  SimServerOptions options;
  options.tls_cert_file = pem.certificate;
  options.tls_key_file = pem.private_key;
  SimServer server(options);
  server.http().Get("/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"hello":"tls"})", "application/json");
  });
  absl::StatusOr<int> port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status();

  httplib::SSLClient client("127.0.0.1", *port);
  client.set_ca_cert_path(cert.c_str());
  client.enable_server_certificate_verification(true);
  auto res = client.Get("/hello");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"hello":"tls"})");
  auto admin = client.Get("/admin/clock");
  ASSERT_TRUE(admin) << httplib::to_string(admin.error());
  EXPECT_EQ(admin->status, 200);

  // Plain HTTP gets no answer from a TLS listener.
  httplib::Client plain("127.0.0.1", *port);
  auto refused = plain.Get("/hello");
  EXPECT_TRUE(!refused || refused->status != 200);
}

TEST(SimServerTlsTest, UnreadableCertificateFailsStartNamingTheFiles) {
  SimServerOptions options;
  options.tls_cert_file = TempPath("missing-cert.pem");
  options.tls_key_file = TempPath("missing-key.pem");
  SimServer server(options);
  absl::StatusOr<int> port = server.Start();
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(port.status().message().find("missing-cert.pem"), std::string::npos)
      << port.status();
}

}  // namespace
}  // namespace ferry::simcore
