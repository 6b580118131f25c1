#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "connectors/pagerduty/pd_account_log.h"
#include "connectors/pagerduty/pd_api.h"

namespace ferry::pagerduty {

// The AccountLogs of a process, one per PagerDuty account and credential:
// systems configured with the same URL, token and CA bundle (two names for
// one account, or a system kept across a config reload) share one read of
// the account's log, as the readers of one system do. An account read with
// two tokens is two logs: each token sees what its user may see.
//
// The key holds a SHA-256 digest of the token, never the token. A log lives
// while any system holds it; it reads through the PdApi of the system that
// made it (its requests count under that system's name and draw from the
// credential's budget, which systems with one token share anyway).
//
// Thread-safe.
class AccountLogs {
 public:
  // The process's registry.
  static AccountLogs& Process();

  // The log of the account at `url` read with `token` and `ca_bundle`:
  // the one alive, or a new one reading through `api` with `options`.
  std::shared_ptr<AccountLog> Get(const std::string& url, const std::string& token,
                                  const std::string& ca_bundle,
                                  std::shared_ptr<const PdApi> api,
                                  const AccountLogOptions& options);

 private:
  absl::Mutex mu_;
  std::map<std::string, std::weak_ptr<AccountLog>> logs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::pagerduty
