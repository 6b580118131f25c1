#include "http/credential_budgets.h"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace ferry::http {

CredentialBudgets::CredentialBudgets(Clock& clock) : clock_(clock) {}

absl::StatusOr<std::shared_ptr<TokenBucket>> CredentialBudgets::ForCredential(
    absl::string_view credential_id, const TokenBucketOptions& options) {
  if (credential_id.empty()) {
    return absl::InvalidArgumentError(
        "credential id is empty; pass the system name or secret reference "
        "that identifies the token");
  }
  if (!(options.requests_per_second > 0) || !(options.burst >= 1)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "budget of credential %s: requests_per_second (%g) must be > 0 and "
        "burst (%g) >= 1",
        credential_id, options.requests_per_second, options.burst));
  }
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = buckets_.try_emplace(credential_id);
  if (inserted) {
    it->second = std::make_shared<TokenBucket>(options, clock_);
    return it->second;
  }
  const TokenBucketOptions& existing = it->second->options();
  if (existing.requests_per_second != options.requests_per_second ||
      existing.burst != options.burst) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "credential %s already has a budget of %g requests/s (burst %g); "
        "asked for %g requests/s (burst %g): give every system that shares "
        "this token the same rate limit",
        credential_id, existing.requests_per_second, existing.burst,
        options.requests_per_second, options.burst));
  }
  return it->second;
}

}  // namespace ferry::http
