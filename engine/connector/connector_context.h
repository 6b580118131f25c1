#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "http/credential_budgets.h"
#include "http/http_client.h"
#include "http/http_observer.h"

namespace ferry::engine {

// What the engine lends a connector when it makes one: the process-wide
// pieces a connector must share rather than own. Every member may be
// empty (null or an empty function), as in unit tests that make a
// connector on its own; a connector then falls back to its own bucket, no
// observation and no push.
struct ConnectorContext {
  // One token bucket per credential for the whole process, so every
  // integration using one token shares its rate limit. Keyed by
  // `credential_id`. Outlives the connector.
  ferry::http::CredentialBudgets* budgets = nullptr;
  // The id of this system's credential in `budgets`: its secret reference
  // ("env:PD_TOKEN", "file:/run/secrets/jira") or, without one, the system
  // name. Never the secret itself.
  std::string credential_id;
  // Told of every HTTP exchange (for ferry_api_requests_total and
  // ferry_api_request_duration_seconds). Outlives the connector.
  ferry::http::HttpObserver* http_observer = nullptr;
  // Asks every reader of this system to poll now instead of at its next
  // interval (push mode: a webhook said something changed). Thread-safe,
  // cheap, callable from any thread at any time, including before any
  // reader exists and after readers stop (then it does nothing).
  std::function<void()> wake;
};

// Gives an HTTP connector's client its share of `context`: the observer,
// and a budget of `requests_per_minute` (burst: one second's worth, at
// least 1, until an answer reports the end system's own model, its window
// or bucket; see TokenBucket) drawn from the credential's shared bucket, or
// from a bucket of its own when the context has no registry.
// `requests_per_minute` 0 means no pace of Ferry's own (the end system
// documents no fixed limit): the budget is TokenBucketOptions::Unpaced(),
// so only the end system's answers (Jira Data Center's bucket) and 429
// pauses pace the client; it is shared by the credential's other unpaced
// systems, not by one that sets a rate. Fails, naming the credential, when
// another system configured the same credential with a different rate.
absl::Status ShareHttpResources(const ConnectorContext& context,
                                double requests_per_minute,
                                ferry::http::HttpClientOptions* options);

}  // namespace ferry::engine
