#pragma once

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/acl.h"
#include "tools/simcore/sim_clock.h"

namespace ferry::servicenow_sim {

// One inbound REST rate-limit rule (ServiceNow's sys_rate_limit_rules):
// `limit` requests per hour for one user, for users with one role, or for
// all users. Counts are kept per user.
struct RateRule {
  enum class Kind { kUser, kRole, kAllUsers };
  std::string sys_id;
  Kind kind = Kind::kAllUsers;
  std::string subject;  // the user_name or the role
  int limit = 0;
};

// What the rules say about one request.
struct RateVerdict {
  bool matched = false;  // false: no rule applies, no headers
  bool allowed = true;
  int limit = 0;
  int64_t reset_unix = 0;   // X-RateLimit-Reset: the end of this hour
  int retry_after = 0;      // seconds, when refused
  std::string rule_sys_id;  // X-RateLimit-Rule
};

// ServiceNow's per-hour rate limiting: the rule for a request's user is
// the user's own rule, else the lowest limit among the rules of the user's
// roles, else the all-users rule. Windows are clock hours (reset at the
// next full hour of the SimClock); every request counts, refused ones
// included, exactly (ServiceNow commits counts every 30 s, so a real
// instance lets a few more through). Thread-safe.
class RateRules {
 public:
  explicit RateRules(const simcore::SimClock* clock) : clock_(clock) {}

  // Counts one request of `caller` and says whether it may go on.
  RateVerdict Count(const Caller& caller);

  // Replaces the rules (counts restart). JSON form:
  //   {"rules": [{"type": "user", "user": "ferry", "limit": 100},
  //              {"type": "role", "role": "itil", "limit": 500},
  //              {"type": "all", "limit": 1000}]}
  // Errors name the bad rule and field.
  absl::Status Replace(const nlohmann::json& body);
  nlohmann::json ToJson() const;

 private:
  const simcore::SimClock* clock_;
  mutable absl::Mutex mu_;
  std::vector<RateRule> rules_ ABSL_GUARDED_BY(mu_);
  // (rule sys_id, user, hour start) → requests.
  absl::flat_hash_map<std::string, int> counts_ ABSL_GUARDED_BY(mu_);
  int next_id_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace ferry::servicenow_sim
