#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "httplib.h"
#include "tools/pagerduty_sim/model.h"

namespace ferry::pagerduty_sim {

// The authenticated caller of one request.
struct Principal {
  bool account = false;    // an account token (else a user token)
  bool read_only = false;  // a read-only account token
  std::string user_id;     // user tokens: the token's user
  // What the rate limiter counts together: the token for account tokens,
  // the user for user tokens (PagerDuty limits per user across keys).
  std::string rate_key;
};

// Reads `Authorization: Token token=<secret>` (or `Bearer <secret>`) and finds
// the token. Missing, malformed or unknown: 401 / 2006.
absl::StatusOr<Principal> Authenticate(const State& state,
                                       const httplib::Request& req);

// Checks `Accept`: absent, */*, application/json or a PagerDuty media type
// with version=2 pass; another version is 400 / 2001.
absl::Status CheckAcceptVersion(const httplib::Request& req);

// The user a write is attributed to. User tokens: the token's user (`From`
// is not needed). Account tokens: the user named by `From` — missing is 400 /
// 2003, not an email 400 / 1028, unknown 400 / 1008.
absl::StatusOr<std::string> ResolveActor(const State& state,
                                         const Principal& who,
                                         const httplib::Request& req);

// What a caller may do on one service.
enum class Access { kNone = 0, kObserver = 1, kResponder = 2, kManager = 3 };

// The caller's effective access on `service_id`: a per-service override of
// the user replaces everything; otherwise the best of the base role (observer
// and stakeholders read, limited_user responds, user/admin/owner manage,
// restricted_access nothing) and the team roles of the service's teams.
// Account tokens: observer when read-only, manager otherwise.
Access ServiceAccess(const State& state, const Principal& who,
                     const std::string& service_id);

bool CanRead(const State& state, const Principal& who,
             const std::string& service_id);

// OK when the caller may write on the service, else 403 / 2010 naming it.
absl::Status RequireWrite(const State& state, const Principal& who,
                          const std::string& service_id);

// 402 / 2014 when the account's plan lacks `ability`.
absl::Status RequireAbility(const State& state, const std::string& ability);

}  // namespace ferry::pagerduty_sim
