// TLS verification: on by default, and a custom CA bundle makes a private
// CA trusted. The test mints its own self-signed certificate for 127.0.0.1
// with libcrypto, into TEST_TMPDIR.
#include <cstdlib>
#include <memory>
#include <string>

#include "http/testing/fake_clock.h"
#include "http/http_client.h"
#include "http/testing/local_server.h"
#include "gtest/gtest.h"
#include "tests/support/self_signed.h"

namespace ferry::http {
namespace {

using ::ferry::http::testing::LocalServer;

using ::ferry::testing::MintSelfSignedCertificate;
using ::ferry::testing::PemFiles;

class TlsTest : public ::testing::Test {
 protected:
  TlsTest()
      : files_(MintSelfSignedCertificate(std::getenv("TEST_TMPDIR"))),
        server_(files_.certificate, files_.private_key) {
    server_.server().Get("/users/me", [](const httplib::Request&,
                                         httplib::Response& response) {
      response.set_content(R"({"user":{"id":"PXPGF42"}})", "application/json");
    });
    server_.Start();
  }

  std::unique_ptr<HttpClient> Client(std::string ca_bundle_path) {
    HttpClientOptions options;
    options.system = "pagerduty";
    options.transport.ca_bundle_path = std::move(ca_bundle_path);
    options.clock = &clock_;
    auto client = HttpClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return std::move(client).value();
  }

  HttpRequest UsersMe() {
    HttpRequest request;
    request.url = server_.Url("/users/me");
    return request;
  }

  PemFiles files_;
  LocalServer server_;
  FakeClock clock_{FakeClock::Mode::kInstant};
};

TEST_F(TlsTest, UnknownCaIsRefusedAndNotRetried) {
  const auto response = Client("")->Send(UsersMe());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kFailedPrecondition)
      << response.status();
  EXPECT_NE(response.status().message().find("set the CA bundle path"),
            absl::string_view::npos)
      << response.status();
  EXPECT_TRUE(clock_.sleeps().empty());
  EXPECT_EQ(server_.requests(), 0);
}

TEST_F(TlsTest, CustomCaBundleIsTrustedAndConnectionsAreReused) {
  auto client = Client(files_.certificate);
  for (int i = 0; i < 5; ++i) {
    const auto response = client->Send(UsersMe());
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->body, R"({"user":{"id":"PXPGF42"}})");
  }
  EXPECT_EQ(server_.connections(), 1);
}

}  // namespace
}  // namespace ferry::http
