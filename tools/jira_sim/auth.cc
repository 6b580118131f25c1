#include "tools/jira_sim/auth.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ferry::jira_sim {
namespace {

absl::Status Unauthenticated() {
  return absl::UnauthenticatedError(
      "Client must be authenticated to access this resource.");
}

}  // namespace

absl::StatusOr<Identity> Authenticate(const State& state, Dialect dialect,
                                      const std::string& authorization) {
  if (absl::StartsWithIgnoreCase(authorization, "Bearer ")) {
    if (dialect == Dialect::kCloud) return Unauthenticated();
    std::string token = authorization.substr(7);
    for (const User& user : state.users) {
      const auto& pats = user.personal_access_tokens;
      if (!token.empty() &&
          std::find(pats.begin(), pats.end(), token) != pats.end()) {
        return Identity{user, absl::StrCat("pat:", user.account_id), false};
      }
    }
    return Unauthenticated();
  }
  if (!absl::StartsWithIgnoreCase(authorization, "Basic ")) {
    return Unauthenticated();
  }
  std::string decoded;
  if (!absl::Base64Unescape(authorization.substr(6), &decoded)) {
    return Unauthenticated();
  }
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return Unauthenticated();
  std::string login = decoded.substr(0, colon);
  std::string secret = decoded.substr(colon + 1);
  for (const User& user : state.users) {
    bool match =
        dialect == Dialect::kCloud
            ? absl::EqualsIgnoreCase(user.email, login) &&
                  !user.api_token.empty() && user.api_token == secret
            : absl::EqualsIgnoreCase(user.name, login) &&
                  !user.password.empty() && user.password == secret;
    if (match) {
      return Identity{user, absl::StrCat("basic:", user.account_id), true};
    }
  }
  return Unauthenticated();
}

}  // namespace ferry::jira_sim
