#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "connectors/servicenow/sn_options.pb.h"
#include "engine/config/system_options.h"
#include "proto/config.pb.h"

namespace ferry::servicenow {

// How the connector signs in to the instance (ServiceNowOptions.auth).
enum class AuthKind {
  // Basic: SystemConfig.username and the token as the password.
  kBasic,
  // OAuth password grant at /oauth_token.do; the access token is renewed
  // before it expires.
  kOAuthPassword,
  // The token is an OAuth access token, sent as "Bearer <token>".
  kBearer,
};

// The defaults the options' comments promise, for the writer and the docs.
inline constexpr int kDefaultPageSize = 100;
// ServiceNow's own ceiling on sysparm_limit.
inline constexpr int kMaxPageSize = 10000;
inline constexpr absl::string_view kDefaultCloseCode = "Solved (Permanently)";
inline constexpr absl::string_view kDefaultCloseNotes = "Resolved in PagerDuty by Ferry";
inline constexpr absl::string_view kDefaultHoldReason = "Awaiting Vendor";
inline constexpr absl::string_view kDefaultCorrelationDisplay = "PagerDuty";

// The options with every unset value replaced by its documented default;
// what the table client and writer read. Pure.
struct ResolvedOptions {
  AuthKind auth = AuthKind::kBasic;
  std::string oauth_client_id;
  // Where the OAuth client secret is; names no source unless auth is oauth.
  ferry::v1::SecretRef oauth_client_secret;
  int page_size = kDefaultPageSize;
  // "/api/now/table", "/api/now/v1/table" or "/api/now/v2/table".
  std::string table_path;
  std::string close_code;
  std::string close_notes;
  // A label of the hold_reason field (sn_schema.h).
  std::string hold_reason;
  // "comments" or "work_notes".
  std::string comment_element;
  std::string correlation_display;
};

// The rules of ServiceNowOptions its types cannot say: auth is basic, oauth
// or bearer; oauth needs oauth_client_id and exactly one client secret
// source, and the other kinds none; page_size is 1..10000; api_version is
// empty, v1 or v2; comment_element is comments or work_notes; hold_reason
// is one of the field's labels; close_code and close_notes are not empty
// when set. Empty when the options are sound. Pure.
std::vector<config::OptionProblem> CheckServiceNowOptions(const ServiceNowOptions& options);

// `options` with the defaults filled in. Assumes CheckServiceNowOptions
// found no problem (an unknown auth or api_version reads as the default).
// Pure.
ResolvedOptions ResolveOptions(const ServiceNowOptions& options);

// ServiceNow's options for its descriptor: the ServiceNowOptions
// prototype, CheckServiceNowOptions, and the OAuth client secret as the
// secret to check when auth is oauth.
config::SystemOptionsSpec ServiceNowOptionsSpec();

}  // namespace ferry::servicenow
