#include "engine/control/control_server.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "engine/config/secrets.h"
#include "engine/config/tls_files.h"
#include "engine/config/validate.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace ferry::engine {

absl::StatusOr<TlsFiles> ReadControlTls(const ferry::v1::ServerConfig& server) {
  return config::ReadTlsFiles({{"server.tls_cert_file", server.tls_cert_file()},
                               {"server.tls_key_file", server.tls_key_file()},
                               {}});
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
