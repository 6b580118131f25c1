#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace ferry::simcore {

// What a fault does to a matching request.
enum class FaultKind {
  kLatency,    // sleep `latency`, then serve the request normally
  kStatus,     // answer `status` with `body` (may be empty: e.g. a bare 429)
  kMalformed,  // answer 200, Content-Type JSON, with a body that is not JSON
  kTruncate,   // serve normally, then send half the body and close
  kDrop,       // close the connection without sending a single byte
};

// One configured fault. A rule matches a request whose path starts with
// `path_prefix` (and whose method equals `method`, when set). A matching rule
// fires with probability `rate`; `remaining` >= 0 limits how many more times
// it may fire (then it is removed), -1 means forever.
struct FaultRule {
  int id = 0;
  std::string path_prefix = "/";
  std::string method;  // empty: any method
  FaultKind kind = FaultKind::kStatus;
  double rate = 1.0;
  int remaining = -1;
  int status = 500;
  std::string body;
  std::string content_type = "application/json";
  absl::Duration latency = absl::ZeroDuration();
};

// Parses the admin API's JSON form of a rule:
//   {"kind": "latency|status|malformed|truncate|drop", "path_prefix": "/x",
//    "method": "GET", "rate": 0.5, "count": 3, "status": 503,
//    "body": "..." | {...json...}, "content_type": "...", "latency_ms": 200}
// `count` becomes `remaining`. Errors name the offending field.
absl::StatusOr<FaultRule> FaultRuleFromJson(const nlohmann::json& json);
nlohmann::json FaultRuleToJson(const FaultRule& rule);

// The set of active fault rules. Thread-safe. Pick() is called once per
// request; the first matching rule (in insertion order) that fires wins.
class FaultInjector {
 public:
  // `seed` makes the rate-based choices reproducible.
  explicit FaultInjector(uint32_t seed = 1);

  // Adds a rule and returns its id (ids start at 1, never reused).
  int Add(FaultRule rule);
  // Removes one rule; false when no rule has that id.
  bool Remove(int id);
  void Clear();
  std::vector<FaultRule> List() const;

  // The rule that fires for this request, if any (consuming one of its
  // `remaining` uses).
  std::optional<FaultRule> Pick(const std::string& method,
                                const std::string& path);

 private:
  mutable absl::Mutex mu_;
  std::vector<FaultRule> rules_ ABSL_GUARDED_BY(mu_);
  int next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::mt19937 random_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::simcore
