#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "connectors/servicenow/sn_options.h"
#include "engine/connector/connector_context.h"
#include "http/clock.h"
#include "http/http_client.h"
#include "nlohmann/json.hpp"
#include "proto/config.pb.h"

namespace ferry::servicenow {

// One GET of a table's rows.
struct ListRequest {
  // "incident", "sys_journal_field", "sys_audit", ...
  std::string table;
  // An encoded query (sysparm_query), e.g.
  // "sys_updated_on>=2026-12-06 07:00:00^ORDERBYsys_updated_on"; empty
  // lists every row.
  std::string query;
  // Columns to return (sysparm_fields); empty returns every column.
  // sys_id is always added: rows are keyed on it.
  std::vector<std::string> fields;
  // Rows per page (sysparm_limit); 0 means the options' page_size.
  int limit = 0;
  // Rows to skip (sysparm_offset).
  int offset = 0;
  // Ask for X-Total-Count; otherwise sysparm_no_count=true spares the
  // instance its count(*).
  bool count = false;
  // Which budget queue the request waits in (backfills go behind live
  // reads).
  http::RequestPriority priority = http::RequestPriority::kLive;
};

// One page of rows, in the query's order.
struct ListPage {
  // Each an object with a string sys_id; every value as the instance sent
  // it (strings; references as their sys_id, as
  // sysparm_exclude_reference_link=true asks).
  std::vector<nlohmann::json> rows;
  // Another page follows: the answer's Link header has rel="next", or
  // (without a Link header) the page came back full.
  bool more = false;
  // X-Total-Count, when `count` asked for it and the instance sent it.
  std::optional<int64_t> total;
};

// The answers of the Table API, read without throwing (fuzzed by
// sn_table_fuzz). Each fails with UNAVAILABLE naming `where` and the
// field when the answer has the wrong shape.

// A list answer: "result" a list of objects each with a string sys_id;
// `more` from the Link header's rel="next", or without a Link header when
// the page holds `limit` rows; `total` from X-Total-Count when it is a
// number.
absl::StatusOr<ListPage> ParseListPage(const http::HttpResponse& response, int limit,
                                       absl::string_view where);

// A single-row answer (GET by sys_id, POST, PATCH): the "result" object,
// which has a string sys_id.
absl::StatusOr<nlohmann::json> ParseRowAnswer(absl::string_view body, absl::string_view where);

// ServiceNow's error body {"error": {"message", "detail"}, "status":
// "failure"} as "message (detail)"; empty for any other body.
std::string ServiceNowErrorText(absl::string_view body);

// A client of ServiceNow's Table API (/api/now/table/<table>) for one
// instance and one credential, over the shared HttpClient (retries,
// budget, ferry_api_requests_total through the context's observer).
//
// Reads ask for database values (sysparm_display_value=false: state "6",
// datetimes in UTC "yyyy-MM-dd HH:mm:ss") and references as plain sys_ids
// (sysparm_exclude_reference_link=true).
//
// Authentication (ServiceNowOptions.auth):
//   - basic: SystemConfig.username and the token as the password;
//   - oauth: POST /oauth_token.do (grant_type=password, oauth_client_id,
//     the client secret, username, token as the password) before the first
//     call, and again when the access token is within a minute (or half
//     its life, when shorter) of its expires_in, or when the instance
//     answers 401 to it (once per call);
//   - bearer: the token as an OAuth access token.
//
// Errors (converted here, once; ServiceNow's {"error": {"message",
// "detail"}} is quoted):
//   - 401 UNAUTHENTICATED naming the settings to check for the auth kind;
//   - 403 PERMISSION_DENIED naming the role the table needs (itil for
//     incident and its reference tables; audit_viewer for sys_audit and
//     sys_journal_field), or, for a "Data Policy Exception" (a mandatory
//     field left out of a state move), the fields to write;
//   - 404 NOT_FOUND for a record by sys_id; a list answered 404 with
//     ServiceNow's error body (api_version v1 says "no rows" so) is an
//     empty page;
//   - 429 RESOURCE_EXHAUSTED once the HttpClient's waits (Retry-After,
//     X-RateLimit-Reset) are used up, saying the wait it gave up on;
//   - 5xx, answers that are not JSON or of the wrong shape: UNAVAILABLE.
// No message carries the password, client secret or any access token.
//
// Thread-safe: calls may run at once; the OAuth token is shared.
class TableClient {
 public:
  // `secret` is the token: the password (basic, oauth) or the access token
  // (bearer). INVALID_ARGUMENT naming the setting and the fix when the url
  // or the secret is empty, basic or oauth has no username, the options do
  // not unpack, or (oauth) the client secret cannot be read. `clock`
  // (null: the real one) times the OAuth token.
  static absl::StatusOr<std::unique_ptr<TableClient>> Create(
      const ferry::v1::SystemConfig& system, const std::string& secret,
      const ferry::engine::ConnectorContext& context = {}, http::Clock* clock = nullptr);

  // One page of `request`. Errors as above; UNAVAILABLE naming the row
  // when "result" is not a list of objects with a string sys_id.
  absl::StatusOr<ListPage> List(const ListRequest& request);

  // Every row of `request` from its offset on, page after page, stopping
  // after `max_rows` (FAILED_PRECONDITION naming the table and query when
  // more matched: the query should be narrower).
  absl::StatusOr<std::vector<nlohmann::json>> ListAll(ListRequest request, int max_rows);

  // The row `sys_id` of `table` with `fields` (empty: all); nullopt when
  // the instance answers 404.
  absl::StatusOr<std::optional<nlohmann::json>> Get(absl::string_view table,
                                                    absl::string_view sys_id,
                                                    const std::vector<std::string>& fields = {});

  // POST: inserts `values` (column → string) and returns the new row. Sent
  // once (never retried after a timeout or 5xx: it may have been applied).
  absl::StatusOr<nlohmann::json> Insert(absl::string_view table, const nlohmann::json& values);

  // PATCH: writes `values` to row `sys_id` and returns the row. Sent once,
  // like Insert: a journal field in `values` would be added twice.
  absl::StatusOr<nlohmann::json> Update(absl::string_view table, absl::string_view sys_id,
                                        const nlohmann::json& values);

  // The browser link of a row: <url>/nav_to.do?uri=<table>.do%3Fsys_id%3D<sys_id>.
  std::string RecordUrl(absl::string_view table, absl::string_view sys_id) const;

  // The options with their defaults, as this client was made with.
  const ResolvedOptions& options() const { return options_; }

  // `text` percent-encoded for a query parameter value.
  static std::string EncodeParam(absl::string_view text);

 private:
  struct OAuthGrant {
    std::string client_id;
    std::string client_secret;
    std::string username;
    std::string password;
  };

  TableClient(std::string base_url, ResolvedOptions options,
              std::unique_ptr<http::HttpClient> client, std::optional<OAuthGrant> grant,
              http::Clock* clock);

  // Sends a request to `path_and_query` (under the base URL) with the
  // credential, renewing an OAuth token on a 401 once; converts errors.
  absl::StatusOr<http::HttpResponse> Send(http::HttpMethod method, absl::string_view table,
                                          const std::string& path_and_query,
                                          const nlohmann::json* body,
                                          http::RequestPriority priority);

  // The OAuth access token, fetched anew when missing, near its expiry or
  // `force`d.
  absl::StatusOr<std::string> AccessToken(bool force) ABSL_LOCKS_EXCLUDED(mu_);

  // `status` (a failed exchange with `table`) in ServiceNow's words, with
  // the fix for 401 and 403.
  absl::Status Convert(const absl::Status& status, http::HttpMethod method, absl::string_view table,
                       const std::string& path) const;

  const std::string base_url_;
  const ResolvedOptions options_;
  std::unique_ptr<http::HttpClient> client_;
  const std::optional<OAuthGrant> grant_;
  http::Clock& clock_;
  absl::Mutex mu_;
  std::string access_token_ ABSL_GUARDED_BY(mu_);
  absl::Time renew_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace ferry::servicenow
