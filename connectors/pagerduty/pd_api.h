#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "http/http_client.h"
#include "nlohmann/json.hpp"

namespace ferry::pagerduty {

// Query parameters in order; repeated names ("statuses[]") are allowed.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// One page of a classic (offset) paginated list.
struct ListPage {
  std::vector<nlohmann::json> items;
  bool more = false;
  // Set only when the request asked for the total.
  std::optional<int64_t> total;
};

// PagerDuty allows offset + limit up to this; further records are only
// reachable through narrower filters (PagerDuty REST API reference: Pagination,
// "Classic Pagination").
inline constexpr int kMaxOffsetPlusLimit = 10000;
// The largest page PagerDuty serves.
inline constexpr int kMaxPageLimit = 100;

// A small client for PagerDuty's REST API v2 over the shared HttpClient:
// sends `Accept: application/vnd.pagerduty+json;version=2` on every request
// and `From: <from_email>` on writes (account tokens need it to name the
// acting user), and turns PagerDuty's error bodies into messages that say
// what PagerDuty refused and why, keeping the HttpClient's status code
// (INVALID_ARGUMENT for 400, PERMISSION_DENIED for 403, ...) and payloads.
// Retries, rate limits and redaction are the HttpClient's.
//
// Thread-safe (the HttpClient is).
class PdApi {
 public:
  // `base_url` is SystemConfig.url ("https://api.pagerduty.com"); a trailing
  // slash is ignored. `from_email` may be empty (user tokens need none).
  PdApi(std::unique_ptr<http::HttpClient> client, std::string base_url,
        std::string from_email);

  // GET `path` (starting with "/") with `params`; the parsed JSON body.
  absl::StatusOr<nlohmann::json> Get(
      const std::string& path, const QueryParams& params = {},
      http::RequestPriority priority = http::RequestPriority::kLive) const;

  // POST / PUT a JSON body with the From header. POSTs are sent once unless
  // `idempotent` (see HttpRequest::idempotent).
  absl::StatusOr<nlohmann::json> Post(const std::string& path,
                                      const nlohmann::json& body,
                                      bool idempotent = false) const;
  absl::StatusOr<nlohmann::json> Put(const std::string& path,
                                     const nlohmann::json& body) const;

  // One page of the list `collection` ("incidents", "log_entries") at
  // `offset`. INVALID_ARGUMENT, before any request, when offset + limit
  // would pass kMaxOffsetPlusLimit.
  absl::StatusOr<ListPage> GetPage(
      const std::string& path, const QueryParams& params,
      const std::string& collection, int offset, int limit, bool total,
      http::RequestPriority priority = http::RequestPriority::kLive) const;

  // Every item of `collection`, page by page. FAILED_PRECONDITION, naming the
  // path and the fix, when more items exist than the 10,000 offset cap lets
  // a client read.
  absl::StatusOr<std::vector<nlohmann::json>> ListAll(
      const std::string& path, const QueryParams& params,
      const std::string& collection,
      http::RequestPriority priority = http::RequestPriority::kLive) const;

  const std::string& from_email() const { return from_email_; }

 private:
  absl::StatusOr<nlohmann::json> Send(http::HttpMethod method,
                                      const std::string& path,
                                      const QueryParams& params,
                                      const nlohmann::json* body,
                                      bool idempotent,
                                      http::RequestPriority priority) const;

  std::unique_ptr<http::HttpClient> client_;
  std::string base_url_;
  std::string from_email_;
};

// `status` with PagerDuty's error object (message, code, errors, in any of
// the shapes PagerDuty is known to send) spelled out in the message;
// returned unchanged when it carries no PagerDuty error body.
absl::Status WithPagerDutyError(const absl::Status& status,
                                const std::string& what);

// One page of a classic paginated list as PdApi::GetPage reads it from
// the parsed `body`: the array `collection` (required, of objects),
// `more` and `total`. UNAVAILABLE, naming `where` (the request) and the
// field, when the page has another shape.
absl::StatusOr<ListPage> ParseListPage(const nlohmann::json& body, const std::string& where,
                                       const std::string& collection);

// PagerDuty date-times ("2024-05-01T10:00:00Z", "...+02:00").
// INVALID_ARGUMENT, naming the text, for one that is not RFC 3339 or falls
// outside years 1 to 9999 UTC (what a protobuf Timestamp holds).
absl::StatusOr<absl::Time> ParsePdTime(const std::string& text);
// RFC 3339 in UTC, second precision, as PagerDuty accepts in since/until.
std::string FormatPdTime(absl::Time time);

}  // namespace ferry::pagerduty
