#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "proto/config.pb.h"

namespace ferry::engine {

// How the stages of a pipeline run one per process (ferryd --stage) serve
// and dial each other: the `server` credentials of a stage's --listen port
// and the `channel` credentials of its --downstream channels.
struct StageCredentials {
  std::shared_ptr<grpc::ServerCredentials> server;
  std::shared_ptr<grpc::ChannelCredentials> channel;
};

// With server.stage_mtls, mutual TLS from the files server.stage_tls_*:
// the server presents the stage's certificate and requires and verifies a
// client certificate signed by the CA, so a peer without one, or with one
// of another CA, is refused in the handshake; a client presents the same
// certificate and verifies the server's against the CA and the host name
// it dials. Without it, plain text both ways.
//
// The files are read on every call (ferryd calls it on start and on each
// SIGHUP reload), so rotated certificates are taken up by a reload and
// serve the connections made after it. Fails as config::ReadTlsFiles does,
// naming the setting, the file and the problem. Thread-safe.
absl::StatusOr<StageCredentials> MakeStageCredentials(
    const ferry::v1::ServerConfig& server);

}  // namespace ferry::engine
