#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
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
};

// Fails naming the address, file or secret that is wrong.
absl::StatusOr<ControlServer> StartControlServer(
    const ferry::v1::ServerConfig& server, const std::string& listen,
    PipelineView* pipeline);

}  // namespace ferry::engine
