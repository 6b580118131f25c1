#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "tools/jira_sim/model.h"
#include "tools/jira_sim/render.h"

namespace ferry::jira_sim {

// Who a request is, and how it is rate limited.
struct Identity {
  User user;
  std::string rate_key;       // the credential the token bucket counts
  bool rate_limited = true;   // DC limits Basic auth only, not PATs
};

// Checks an Authorization header the way `dialect` does:
//  - Data Center: "Basic base64(name:password)" or "Bearer <PAT>";
//  - Cloud: "Basic base64(email:api_token)" only (OAuth bearer tokens
//    belong to api.atlassian.com, not the site).
// Fails with Unauthenticated ("Client must be authenticated to access this
// resource.") when the header is missing, malformed or wrong. No secret is
// ever part of an error message.
absl::StatusOr<Identity> Authenticate(const State& state, Dialect dialect,
                                      const std::string& authorization);

}  // namespace ferry::jira_sim
