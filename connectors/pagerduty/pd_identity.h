#pragma once

#include <memory>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "connectors/pagerduty/pd_api.h"
#include "nlohmann/json.hpp"

namespace ferry::pagerduty {

// Who the integration user is: GET /users/me for user tokens; for account
// tokens (which have no "me") the user whose email is PdApi::from_email(),
// found through GET /users?query=<email>. The answer is cached after the
// first success; calls made while it is looked up wait for that look-up.
// Thread-safe.
class PdIdentity {
 public:
  explicit PdIdentity(std::shared_ptr<const PdApi> api) : api_(std::move(api)) {}

  // The user object (id, name, email, role, teams). FAILED_PRECONDITION,
  // naming SystemConfig.user_email, when an account token is used without
  // an email or with one no user has; other API errors as PdApi gives them.
  absl::StatusOr<nlohmann::json> Me();

 private:
  absl::StatusOr<nlohmann::json> Resolve() const;

  std::shared_ptr<const PdApi> api_;
  // Held while looking the user up, so concurrent first calls make one
  // look-up.
  absl::Mutex resolve_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  absl::Mutex mu_;
  std::optional<nlohmann::json> me_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::pagerduty
