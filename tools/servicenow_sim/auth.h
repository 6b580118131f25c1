#pragma once

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/acl.h"
#include "tools/servicenow_sim/tables.h"
#include "tools/simcore/sim_clock.h"

namespace ferry::servicenow_sim {

// Who may call: Basic credentials of sys_user rows (user_name and the
// user_password column, active not "false") and OAuth bearer tokens this
// simulator issued (grant_type=password or refresh_token against an
// oauth_entity row's client_id/client_secret). Access tokens live
// oauth_entity.access_token_lifespan seconds (default 1800; "expires_in"
// says one less, as ServiceNow does), refresh tokens
// refresh_token_lifespan (default 8,640,000), both on the SimClock.
// Thread-safe; Tables are read under the caller's Store lock.
class Authenticator {
 public:
  // `clock` must outlive the authenticator.
  explicit Authenticator(const simcore::SimClock* clock) : clock_(clock) {}

  // The caller behind an Authorization header value; UNAUTHENTICATED when
  // it is missing, malformed, wrong or expired.
  absl::StatusOr<Caller> Authenticate(const std::string& authorization,
                                      const Tables& tables) const;

  // The caller for a user_name, without credentials (admin act-as);
  // NOT_FOUND when there is no such user.
  absl::StatusOr<Caller> CallerNamed(const std::string& user_name,
                                     const Tables& tables) const;

  // POST /oauth_token.do with these form fields: the token response
  // {"access_token","refresh_token","scope":"useraccount",
  //  "token_type":"Bearer","expires_in"}; UNAUTHENTICATED on a wrong
  // client, user, password or refresh token.
  absl::StatusOr<nlohmann::json> IssueToken(const httplib::Params& form,
                                            const Tables& tables);

 private:
  struct Grant {
    std::string user_name;
    std::string client_id;
    absl::Time expires;
  };

  std::string NewToken() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const simcore::SimClock* clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Grant> access_tokens_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Grant> refresh_tokens_ ABSL_GUARDED_BY(mu_);
  absl::BitGen random_ ABSL_GUARDED_BY(mu_);
};

// The 401 ServiceNow answers: {"User Not Authenticated", "Required to
// provide Auth information"}.
void WriteNotAuthenticated(httplib::Response& res);

}  // namespace ferry::servicenow_sim
