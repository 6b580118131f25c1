#pragma once

#include <chrono>

#include "grpcpp/server.h"

namespace ferry::engine {

// How long a stopping server lets its streams finish before cancelling
// them. A stage stream stays open as long as its peer does, so a plain
// Shutdown() would wait forever for a peer that is still running.
inline constexpr std::chrono::seconds kShutdownGrace{2};

// Stops `server`: new calls are refused at once; calls still running after
// kShutdownGrace are cancelled.
inline void ShutdownServer(grpc::Server& server) {
  server.Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
}

}  // namespace ferry::engine
