#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "prometheus/exposer.h"

namespace ferry::engine {

// Serves Prometheus /metrics on `listen` ("host:port"; port 0 picks a free
// one). prometheus-cpp reports a port it cannot bind only as "null context
// when constructing CivetServer"; this finds out why, by binding the
// address itself, and fails UNAVAILABLE saying it in words with the fix:
// an address already in use (another ferryd or exporter holds it; choose
// another with server.metrics_listen or --metrics_listen), a port below
// 1024 without the right, a host that is not an address of this machine.
// Thread-safe.
absl::StatusOr<std::unique_ptr<prometheus::Exposer>> ServeMetrics(
    const std::string& listen);

}  // namespace ferry::engine
