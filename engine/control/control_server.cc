#include "engine/control/control_server.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "engine/config/secrets.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace ferry::engine {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read TLS file ", path));
  }
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

absl::StatusOr<ControlServer> StartControlServer(
    const ferry::v1::ServerConfig& server, const std::string& listen,
    PipelineView* pipeline) {
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
    auto cert = ReadPem(server.tls_cert_file());
    if (!cert.ok()) return cert.status();
    auto key = ReadPem(server.tls_key_file());
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions tls;
    tls.pem_key_cert_pairs.push_back({*key, *cert});
    credentials = grpc::SslServerCredentials(tls);
  }

  ControlServer control;
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
