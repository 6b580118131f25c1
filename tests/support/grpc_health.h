#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace ferry::testing {

// Asks the standard gRPC health service behind `channel`
// (grpc.health.v1.Health/Check, whole server) and returns whether it
// answered SERVING. Fails with the call's error (e.g. UNAVAILABLE, or
// UNIMPLEMENTED when the server has no health service) after at most
// 10 seconds.
absl::StatusOr<bool> IsServing(const std::shared_ptr<grpc::Channel>& channel);

}  // namespace ferry::testing
