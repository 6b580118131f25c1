#include "engine/control/control_server.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "engine/config/secrets.h"
#include "engine/config/validate.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace ferry::engine {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

// Reads the PEM file that `field` names, failing with the field, the path
// and the cause.
absl::StatusOr<std::string> ReadPem(absl::string_view field,
                                    const std::string& path) {
  auto pem = config::ReadRegularFile(path);
  if (!pem.ok()) {
    return absl::Status(pem.status().code(),
                        absl::StrCat(field, ": ", pem.status().message()));
  }
  return pem;
}

std::unique_ptr<BIO, BioFree> MemoryBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

}  // namespace

absl::StatusOr<TlsFiles> ReadControlTls(const ferry::v1::ServerConfig& server) {
  TlsFiles files;
  auto cert = ReadPem("server.tls_cert_file", server.tls_cert_file());
  if (!cert.ok()) return cert.status();
  files.certificate = *std::move(cert);
  auto key = ReadPem("server.tls_key_file", server.tls_key_file());
  if (!key.ok()) return key.status();
  files.private_key = *std::move(key);

  // gRPC would only say it cannot listen: each problem is found here first.
  std::unique_ptr<X509, X509Free> x509(PEM_read_bio_X509(
      MemoryBio(files.certificate).get(), nullptr, nullptr, nullptr));
  if (x509 == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("server.tls_cert_file: ", server.tls_cert_file(),
                     " holds no PEM certificate"));
  }
  std::unique_ptr<EVP_PKEY, KeyFree> pkey(PEM_read_bio_PrivateKey(
      MemoryBio(files.private_key).get(), nullptr, nullptr, nullptr));
  if (pkey == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("server.tls_key_file: ", server.tls_key_file(),
                     " holds no PEM private key (or one with a passphrase)"));
  }
  if (X509_check_private_key(x509.get(), pkey.get()) != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "server.tls_key_file: ", server.tls_key_file(),
        " does not match the certificate ", server.tls_cert_file()));
  }
  // Failed parses leave errors queued on this thread; none concern a caller.
  ERR_clear_error();
  return files;
}

absl::StatusOr<ControlServer> StartControlServer(
    const ferry::v1::ServerConfig& server, const std::string& listen,
    PipelineView* pipeline) {
  // Validation refuses server.control_listen beyond loopback without a
  // token; this also covers the --control_listen flag that overrides it.
  if (!server.has_control_token() && !config::IsLoopbackAddress(listen)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the control API on ", listen,
        " (--control_listen or server.control_listen) is reachable beyond "
        "this host, and without server.control_token anyone reaching it "
        "could backfill, skip failures or pause integrations; set "
        "server.control_token, or listen on 127.0.0.1"));
  }
  std::string token;
  if (server.has_control_token()) {
    auto secret = config::ResolveSecret(server.control_token());
    if (!secret.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("server.control_token: ", secret.status().message()));
    }
    token = *std::move(secret);
  }
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::InsecureServerCredentials();
  if (!server.tls_cert_file().empty()) {
    auto files = ReadControlTls(server);
    if (!files.ok()) return files.status();
    grpc::SslServerCredentialsOptions tls;
    tls.pem_key_cert_pairs.push_back({files->private_key, files->certificate});
    credentials = grpc::SslServerCredentials(tls);
  }

  ControlServer control;
  control.requires_token = !token.empty();
  control.service = std::make_unique<ControlService>(pipeline, std::move(token));
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, credentials, &control.port);
  builder.RegisterService(control.service.get());
  control.server = builder.BuildAndStart();
  if (control.server == nullptr || control.port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", listen, " for the control API (in use, or not "
        "an address of this host?)"));
  }
  return control;
}

}  // namespace ferry::engine
