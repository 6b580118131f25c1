// TLS verification: on by default, and a custom CA bundle makes a private
// CA trusted. The test mints its own self-signed certificate for 127.0.0.1
// with libcrypto, into TEST_TMPDIR.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "connectors/http/fake_clock.h"
#include "connectors/http/http_client.h"
#include "connectors/http/testing/local_server.h"
#include "gtest/gtest.h"

namespace ferry::http {
namespace {

using ::ferry::http::testing::LocalServer;

struct PemFiles {
  std::string certificate;
  std::string private_key;
};

void AddExtension(X509* certificate, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension =
      X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  ASSERT_NE(extension, nullptr);
  X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
}

// A P-256 key and a one-day self-signed CA certificate valid for 127.0.0.1.
PemFiles MintSelfSignedCertificate() {
  const std::string dir = std::getenv("TEST_TMPDIR");
  const PemFiles files{dir + "/server.crt", dir + "/server.key"};
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"),
                                                          &EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(X509_new(),
                                                          &X509_free);
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 24 * 3600);
  X509_set_pubkey(certificate.get(), key.get());
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("Ferry test CA"), -1, -1, 0);
  X509_set_issuer_name(certificate.get(), name);
  AddExtension(certificate.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(certificate.get(), NID_subject_alt_name, "IP:127.0.0.1");
  X509_sign(certificate.get(), key.get(), EVP_sha256());

  FILE* out = std::fopen(files.certificate.c_str(), "w");
  PEM_write_X509(out, certificate.get());
  std::fclose(out);
  out = std::fopen(files.private_key.c_str(), "w");
  PEM_write_PrivateKey(out, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(out);
  return files;
}

class TlsTest : public ::testing::Test {
 protected:
  TlsTest()
      : files_(MintSelfSignedCertificate()),
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
