#include "engine/connector/connector_context.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"

namespace ferry::engine {
namespace {

constexpr char kUnpacedSuffix[] = " (no pace of its own)";

}  // namespace

absl::Status ShareHttpResources(const ConnectorContext& context,
                                double requests_per_minute,
                                ferry::http::HttpClientOptions* options) {
  options->observer = context.http_observer;
  const bool paced = requests_per_minute > 0;
  const ferry::http::TokenBucketOptions rate =
      paced ? ferry::http::TokenBucketOptions{requests_per_minute / 60,
                                              std::max(1.0, requests_per_minute / 60)}
            : ferry::http::TokenBucketOptions::Unpaced();
  if (context.budgets == nullptr) {
    options->budget = std::make_shared<ferry::http::TokenBucket>(
        rate, ferry::http::RealClock());
    return absl::OkStatus();
  }
  // Unpaced systems of a credential share a bucket of their own: one that
  // sets a pace keeps its bucket, as when unpaced ones had no budget at all.
  auto budget = context.budgets->ForCredential(
      paced ? context.credential_id : absl::StrCat(context.credential_id, kUnpacedSuffix),
      rate);
  if (!budget.ok()) return budget.status();
  options->budget = *std::move(budget);
  return absl::OkStatus();
}

}  // namespace ferry::engine
