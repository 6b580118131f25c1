#include "connectors/pagerduty/pd_account_logs.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace ferry::pagerduty {
namespace {

// The token's SHA-256, hex: a key that tells tokens apart without holding
// one.
std::string TokenDigest(const std::string& token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace

AccountLogs& AccountLogs::Process() {
  static auto* logs = new AccountLogs();
  return *logs;
}

std::shared_ptr<AccountLog> AccountLogs::Get(const std::string& url, const std::string& token,
                                             const std::string& ca_bundle,
                                             std::shared_ptr<const PdApi> api,
                                             const AccountLogOptions& options) {
  // Lengths first, so no two (url, ca_bundle) pairs give one key.
  const std::string key = absl::StrCat(url.size(), ":", url, ca_bundle.size(), ":", ca_bundle,
                                       TokenDigest(token));
  absl::MutexLock lock(&mu_);
  // Drops the entries of logs no system holds any more.
  for (auto it = logs_.begin(); it != logs_.end();) {
    it = it->second.expired() ? logs_.erase(it) : std::next(it);
  }
  if (auto alive = logs_[key].lock()) return alive;
  auto log = std::make_shared<AccountLog>(std::move(api), options);
  logs_[key] = log;
  return log;
}

}  // namespace ferry::pagerduty
