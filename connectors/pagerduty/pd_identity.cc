#include "connectors/pagerduty/pd_identity.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "http/json_fields.h"

namespace ferry::pagerduty {

absl::StatusOr<nlohmann::json> PdIdentity::Me() {
  {
    absl::MutexLock lock(&mu_);
    if (me_.has_value()) return *me_;
  }
  // One look-up at a time: the readers of a system all start at once, and
  // the ones that wait take the first one's answer.
  absl::MutexLock resolving(&resolve_mu_);
  {
    absl::MutexLock lock(&mu_);
    if (me_.has_value()) return *me_;
  }
  absl::StatusOr<nlohmann::json> me = Resolve();
  if (!me.ok()) return me.status();
  absl::MutexLock lock(&mu_);
  me_ = *me;
  return *me;
}

namespace {

// `user` when it has the id every echo check compares with.
absl::StatusOr<nlohmann::json> WithId(const http::JsonReader& user) {
  if (absl::StatusOr<std::string> id = user.RequireString("id"); !id.ok()) return id.status();
  return user.json();
}

}  // namespace

absl::StatusOr<nlohmann::json> PdIdentity::Resolve() const {
  absl::StatusOr<nlohmann::json> me = api_->Get("/users/me");
  if (me.ok()) {
    absl::StatusOr<http::JsonReader> user =
        http::JsonReader(*me, "PagerDuty GET /users/me").RequireObject("user");
    if (!user.ok()) return user.status();
    return WithId(*user);
  }
  // Account tokens have no user of their own: PagerDuty answers 400.
  if (!absl::IsInvalidArgument(me.status())) return me.status();
  const std::string& email = api_->from_email();
  if (email.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the PagerDuty token is an account token, which acts as the user named "
        "in the From header; set user_email of the system to the integration "
        "user's email (", me.status().message(), ")"));
  }
  auto users = api_->ListAll("/users", {{"query", email}}, "users");
  if (!users.ok()) return users.status();
  for (size_t i = 0; i < users->size(); ++i) {
    const http::JsonReader user((*users)[i], "PagerDuty GET /users",
                                absl::StrCat("users[", i, "]"));
    if (absl::AsciiStrToLower(user.StringOr("email")) == absl::AsciiStrToLower(email)) {
      return WithId(user);
    }
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "no PagerDuty user has the email '", email,
      "' given as user_email; set it to the integration user's email"));
}

}  // namespace ferry::pagerduty
