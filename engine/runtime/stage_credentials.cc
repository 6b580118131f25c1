#include "engine/runtime/stage_credentials.h"

#include "engine/config/tls_files.h"

namespace ferry::engine {

absl::StatusOr<StageCredentials> MakeStageCredentials(
    const ferry::v1::ServerConfig& server) {
  if (!server.stage_mtls()) {
    return StageCredentials{grpc::InsecureServerCredentials(),
                            grpc::InsecureChannelCredentials()};
  }
  auto files = config::ReadTlsFiles(
      {{"server.stage_tls_cert_file", server.stage_tls_cert_file()},
       {"server.stage_tls_key_file", server.stage_tls_key_file()},
       {"server.stage_tls_ca_file", server.stage_tls_ca_file()}});
  if (!files.ok()) return files.status();
  if (files->ca.empty()) {
    return absl::InvalidArgumentError(
        "server.stage_tls_ca_file: stage_mtls needs the CA that signs every "
        "stage's certificate; set it to a PEM file");
  }
  grpc::SslServerCredentialsOptions serving(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  serving.pem_root_certs = files->ca;
  serving.pem_key_cert_pairs.push_back({files->private_key, files->certificate});
  grpc::SslCredentialsOptions dialing;
  dialing.pem_root_certs = files->ca;
  dialing.pem_private_key = files->private_key;
  dialing.pem_cert_chain = files->certificate;
  return StageCredentials{grpc::SslServerCredentials(serving),
                          grpc::SslCredentials(dialing)};
}

}  // namespace ferry::engine
