#pragma once

#include <atomic>
#include <cstdint>

namespace ferry::bench {

// Connectors of kind "blackhole" for benchmarks: a source that has `total`
// changes of new entities ready (one "Title" field each) and a target
// that accepts every write at once, with no I/O, so only Ferry's own work
// is measured. Registered by linking null_connector.cc.
struct NullCounters {
  // How many changes the null readers still have to hand out.
  static std::atomic<int64_t> remaining;
  // How many entities the null writers created.
  static std::atomic<int64_t> created;
};

}  // namespace ferry::bench
