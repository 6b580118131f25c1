#pragma once

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "tools/simcore/sim_server.h"

namespace ferry::bench {

// Counts the API requests a simulator serves, by method and path shape
// ("GET /incidents/{id}/notes": every path segment of two or more
// characters with a digit becomes {id}; an answer other than 2xx is
// counted apart, as "POST /rest/api/2/issue -> 400"). Admin requests
// (/admin/...) are not counted: the benchmark drives the simulators
// through them, and neither are requests carrying kPersonHeader: the
// benchmark's own calls made as a person. Thread-safe.
class RequestCounter {
 public:
  static constexpr char kPersonHeader[] = "X-Ferry-Bench-Person";

  // Installs the counter as `server`'s request logger. Call before the
  // server starts; the counter must outlive the server.
  void Attach(simcore::SimServer& server);

  // Requests since the last Reset (or since Attach).
  int64_t Total() const;
  std::map<std::string, int64_t> ByShape() const;
  void Reset();

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, int64_t> by_shape_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::bench
