#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "http/clock.h"
#include "http/token_bucket.h"

namespace ferry::http {

// One TokenBucket per credential, shared by every integration and every
// HttpClient that authenticates with that credential: the end system counts
// requests per token, not per integration.
//
// Keyed by a credential id chosen by the engine (the system name or the
// secret reference, e.g. "env:PD_TOKEN"), never by the token text, so the
// registry holds no secret. The engine owns one registry; there is no
// global instance. Thread-safe.
class CredentialBudgets {
 public:
  // `clock` must outlive the registry and every bucket it hands out.
  explicit CredentialBudgets(Clock& clock = RealClock());

  // The bucket for `credential_id`, created with `options` on first use.
  // Fails with INVALID_ARGUMENT when `credential_id` is empty or `options`
  // are not positive, and FAILED_PRECONDITION when the credential already
  // has a bucket with different options (two systems configured with one
  // token but different rate limits); the message names the credential id
  // and both settings.
  absl::StatusOr<std::shared_ptr<TokenBucket>> ForCredential(
      absl::string_view credential_id, const TokenBucketOptions& options);

 private:
  Clock& clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<TokenBucket>> buckets_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::http
