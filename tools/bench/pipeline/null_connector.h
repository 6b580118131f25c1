#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "proto/config.pb.h"

namespace ferry::bench {

// Connectors of kind "blackhole" for benchmarks and engine tests: a source
// that has `remaining` changes of new entities ready (one "Title" field
// each) and a target that accepts every write at once, with no I/O, so only
// Ferry's own work is measured. Registered by linking null_connector.cc.
struct NullCounters {
  // How many changes the null readers still have to hand out.
  static std::atomic<int64_t> remaining;
  // How many entities the null writers created.
  static std::atomic<int64_t> created;
  // When set, every create first waits until it is notified: a stalled
  // target, for backpressure tests. Set before the pipeline starts.
  static absl::Notification* hold_creates;
};

// A validated config with one integration, `integration`, from system
// "src" (project SRC) to "dst" (project DST), both blackholes, mapping
// Title to Title and polling every minute. Fails only if the config
// schema changed under it, naming the problem.
absl::StatusOr<ferry::v1::FerryConfig> BlackholeConfig(const std::string& integration);

}  // namespace ferry::bench
