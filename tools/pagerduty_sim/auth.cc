#include "tools/pagerduty_sim/auth.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/state_lookup.h"

namespace ferry::pagerduty_sim {
namespace {

absl::Status AuthFailed() {
  return PdError(401, kCodeAuthenticationFailed, "Authentication failed",
                 {"Send Authorization: Token token=<API key> with a valid, "
                  "active API key"});
}

Access FromRoleName(const std::string& role) {
  if (role == "manager") return Access::kManager;
  if (role == "responder") return Access::kResponder;
  if (role == "observer") return Access::kObserver;
  return Access::kNone;
}

Access FromBaseRole(const std::string& role) {
  if (role == "owner" || role == "admin" || role == "user") return Access::kManager;
  if (role == "limited_user") return Access::kResponder;
  if (role == "observer" || role == "read_only_user" ||
      role == "read_only_limited_user") {
    return Access::kObserver;
  }
  return Access::kNone;  // restricted_access and unknown roles
}

}  // namespace

absl::StatusOr<Principal> Authenticate(const State& state,
                                       const httplib::Request& req) {
  const std::string authorization = req.get_header_value("Authorization");
  absl::string_view header = authorization;
  std::string secret;
  if (absl::ConsumePrefix(&header, "Token token=")) {
    secret = std::string(header);
  } else if (absl::ConsumePrefix(&header, "Bearer ")) {
    secret = std::string(header);
  } else {
    return AuthFailed();
  }
  auto it = state.tokens.find(secret);
  if (secret.empty() || it == state.tokens.end()) return AuthFailed();
  const Token& token = it->second;
  Principal who;
  who.account = token.account;
  who.read_only = token.read_only;
  who.user_id = token.user_id;
  who.rate_key = token.account ? absl::StrCat("token:", token.secret)
                               : absl::StrCat("user:", token.user_id);
  return who;
}

absl::Status CheckAcceptVersion(const httplib::Request& req) {
  const std::string accept = req.get_header_value("Accept");
  if (!absl::StrContains(accept, "application/vnd.pagerduty+json")) {
    return absl::OkStatus();  // missing or generic: the token's default, 2
  }
  if (absl::StrContains(accept, "version=2")) return absl::OkStatus();
  return PdError(400, kCodeInvalidInput, "Unsupported API version",
                 {absl::StrCat("Accept \"", accept,
                               "\" asks for an API version other than 2; send "
                               "application/vnd.pagerduty+json;version=2")});
}

absl::StatusOr<std::string> ResolveActor(const State& state,
                                         const Principal& who,
                                         const httplib::Request& req) {
  if (!who.account) return who.user_id;
  const std::string from = req.get_header_value("From");
  if (from.empty()) {
    return PdError(400, kCodeMissingArguments,
                   "You must specify a user's email address in the \"From\" "
                   "header to perform this action");
  }
  const size_t at = from.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == from.size() ||
      absl::StrContains(from, " ")) {
    return PdError(400, kCodeMalformedFrom, "Malformed \"From\" header",
                   {"The From header must be the email address of a user"});
  }
  const User* user = FindUserByEmail(state, from);
  if (user == nullptr) {
    return PdError(400, kCodeRequesterNotFound, "Requester User Not Found",
                   {absl::StrCat("No user on the account has the email ", from)});
  }
  return user->id;
}

Access ServiceAccess(const State& state, const Principal& who,
                     const std::string& service_id) {
  if (who.account) return who.read_only ? Access::kObserver : Access::kManager;
  const User* user = FindUser(state, who.user_id);
  if (user == nullptr) return Access::kNone;
  auto override_role = user->service_roles.find(service_id);
  if (override_role != user->service_roles.end()) {
    return FromRoleName(override_role->second);
  }
  Access access = FromBaseRole(user->role);
  const Service* service = FindService(state, service_id);
  if (service == nullptr) return access;
  for (const std::string& team_id : service->team_ids) {
    auto team = state.teams.find(team_id);
    if (team == state.teams.end()) continue;
    for (const TeamMember& member : team->second.members) {
      if (member.user_id == user->id) {
        access = std::max(access, FromRoleName(member.role));
      }
    }
  }
  return access;
}

bool CanRead(const State& state, const Principal& who,
             const std::string& service_id) {
  return ServiceAccess(state, who, service_id) >= Access::kObserver;
}

absl::Status RequireWrite(const State& state, const Principal& who,
                          const std::string& service_id) {
  if (ServiceAccess(state, who, service_id) >= Access::kResponder) {
    return absl::OkStatus();
  }
  return AccessDenied(absl::StrCat(
      "The caller may not change incidents of service ", service_id,
      "; it needs the Responder role (limited_user) or higher there"));
}

absl::Status RequireAbility(const State& state, const std::string& ability) {
  if (state.account.abilities.count(ability) > 0) return absl::OkStatus();
  return PdError(402, kCodeMissingAbility, "Missing Account Ability",
                 {absl::StrCat("The account's plan lacks the \"", ability,
                               "\" ability")});
}

}  // namespace ferry::pagerduty_sim
