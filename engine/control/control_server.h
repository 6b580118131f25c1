#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "engine/config/tls_files.h"
#include "engine/control/control_service.h"
#include "grpcpp/server.h"
#include "proto/config.pb.h"

namespace ferry::engine {

// ferryd's control endpoint: the Control service and the standard gRPC
// health service on `listen` ("127.0.0.1:7400"; port 0 picks a free one),
// with TLS when `server` names a certificate and key, and the bearer token
// of `server.control_token` when set.
struct ControlServer {
  std::unique_ptr<ControlService> service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;  // The port actually bound.
  // Whether every RPC must present server.control_token; false only on a
  // loopback address, where whoever can reach the API is on this host.
  bool requires_token = false;
};

// The control API's TLS certificate and key, as PEM (`ca` stays empty).
using TlsFiles = config::TlsFiles;

// Reads server.tls_cert_file and server.tls_key_file with
// config::ReadTlsFiles: the first must hold a PEM certificate, the second a
// PEM private key, and the key must be the certificate's. Fails naming the setting, the file and
// the problem (missing, a directory, unreadable, not PEM, or "does not
// match the certificate …"), so no such problem is reported as a port that
// cannot be listened on.
absl::StatusOr<TlsFiles> ReadControlTls(const ferry::v1::ServerConfig& server);

// Fails naming the address, file or secret that is wrong. Refuses an
// address beyond loopback (config::IsLoopbackAddress) when `server` has no
// control_token: the control API can backfill and skip failures.
absl::StatusOr<ControlServer> StartControlServer(
    const ferry::v1::ServerConfig& server, const std::string& listen,
    PipelineView* pipeline);

}  // namespace ferry::engine
