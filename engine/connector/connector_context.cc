#include "engine/connector/connector_context.h"

#include <algorithm>
#include <memory>

namespace ferry::engine {

absl::Status ShareHttpResources(const ConnectorContext& context,
                                double requests_per_minute,
                                ferry::http::HttpClientOptions* options) {
  options->observer = context.http_observer;
  if (requests_per_minute <= 0) return absl::OkStatus();
  const ferry::http::TokenBucketOptions rate{
      requests_per_minute / 60, std::max(1.0, requests_per_minute / 60)};
  if (context.budgets == nullptr) {
    options->budget = std::make_shared<ferry::http::TokenBucket>(
        rate, ferry::http::RealClock());
    return absl::OkStatus();
  }
  auto budget = context.budgets->ForCredential(context.credential_id, rate);
  if (!budget.ok()) return budget.status();
  options->budget = *std::move(budget);
  return absl::OkStatus();
}

}  // namespace ferry::engine
