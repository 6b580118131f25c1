#include "connectors/servicenow/sn_table_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "engine/config/secrets.h"
#include "engine/config/system_options.h"
#include "http/http_status.h"
#include "http/json_fields.h"

namespace ferry::servicenow {
namespace {

using json = nlohmann::json;

// The role the integration user needs to read and write `table`.
absl::string_view RoleFor(absl::string_view table) {
  if (table == "sys_audit" || table == "sys_journal_field") return "audit_viewer";
  return "itil";
}

std::string CredentialFix(AuthKind auth) {
  switch (auth) {
    case AuthKind::kOAuthPassword:
      return "check username, token (the user's password), options.oauth_client_id and "
             "the client secret (options.oauth_client_secret_env/_file) of the OAuth "
             "application";
    case AuthKind::kBearer:
      return "token must be a valid OAuth access token (it may have expired); use auth: "
             "oauth to have Ferry renew it";
    case AuthKind::kBasic:
      break;
  }
  return "check username and token (the user's password); the user must not need "
         "multi-factor authentication for REST";
}

// Absent the "more" signals of a Link header, a full page means more may
// follow.
bool HasNextLink(const http::HttpHeaders& headers, bool* has_link) {
  const std::optional<std::string> link = headers.Get("Link");
  *has_link = link.has_value();
  if (!link) return false;
  const std::string lower = absl::AsciiStrToLower(*link);
  return absl::StrContains(lower, "rel=\"next\"") || absl::StrContains(lower, "rel=next");
}

std::string JoinFields(const std::vector<std::string>& fields) {
  if (fields.empty()) return "";
  std::vector<std::string> all = fields;
  if (std::find(all.begin(), all.end(), "sys_id") == all.end()) all.push_back("sys_id");
  return absl::StrJoin(all, ",");
}

}  // namespace

std::string ServiceNowErrorText(absl::string_view body) {
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const json& error = http::MemberOrNull(parsed, "error");
  if (!error.is_object()) return "";
  const std::string message = http::StringOr(error, "message");
  const std::string detail = http::StringOr(error, "detail");
  if (message.empty()) return detail;
  if (detail.empty()) return message;
  return absl::StrCat(message, " (", detail, ")");
}

absl::StatusOr<std::unique_ptr<TableClient>> TableClient::Create(
    const ferry::v1::SystemConfig& system, const std::string& secret,
    const ferry::engine::ConnectorContext& context, http::Clock* clock) {
  const std::string where = absl::StrCat("servicenow system '", system.name(), "'");
  if (system.url().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": url is empty; set it to the instance, e.g. https://example.service-now.com"));
  }
  ServiceNowOptions raw;
  if (absl::Status unpacked = config::UnpackSystemOptions(system, &raw); !unpacked.ok()) {
    return unpacked;
  }
  const ResolvedOptions options = ResolveOptions(raw);
  if (secret.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": the token resolved to an empty value; set token to the integration user's ",
        options.auth == AuthKind::kBearer ? "OAuth access token" : "password"));
  }
  if (options.auth != AuthKind::kBearer && system.username().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": username is empty; set it to the integration user's user name (",
                     options.auth == AuthKind::kBasic ? "Basic" : "OAuth password grant",
                     " authentication), or use options.auth: bearer with an access token"));
  }
  http::HttpClientOptions http_options;
  http_options.system = system.name().empty() ? "servicenow" : system.name();
  http_options.secrets = {secret};
  http_options.transport.ca_bundle_path = system.ca_bundle();
  http_options.clock = clock;
  std::optional<OAuthGrant> grant;
  switch (options.auth) {
    case AuthKind::kBasic:
      http_options.authorization =
          absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(system.username(), ":", secret)));
      break;
    case AuthKind::kBearer:
      http_options.authorization = absl::StrCat("Bearer ", secret);
      break;
    case AuthKind::kOAuthPassword: {
      absl::StatusOr<std::string> client_secret =
          config::ResolveSecret(options.oauth_client_secret);
      if (!client_secret.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where,
                         ": the OAuth client secret (options.oauth_client_secret_env/_file) cannot "
                         "be read: ",
                         client_secret.status().message()));
      }
      http_options.secrets.push_back(*client_secret);
      grant = OAuthGrant{options.oauth_client_id, *client_secret, system.username(), secret};
      break;
    }
  }
  if (!http_options.authorization.empty()) {
    http_options.secrets.push_back(http_options.authorization);
  }
  if (absl::Status shared =
          ferry::engine::ShareHttpResources(context, system.requests_per_minute(), &http_options);
      !shared.ok()) {
    return shared;
  }
  absl::StatusOr<std::unique_ptr<http::HttpClient>> client =
      http::HttpClient::Create(std::move(http_options));
  if (!client.ok()) return client.status();
  return std::unique_ptr<TableClient>(
      new TableClient(std::string(absl::StripSuffix(system.url(), "/")), options,
                      *std::move(client), std::move(grant), clock));
}

TableClient::TableClient(std::string base_url, ResolvedOptions options,
                         std::unique_ptr<http::HttpClient> client, std::optional<OAuthGrant> grant,
                         http::Clock* clock)
    : base_url_(std::move(base_url)),
      options_(std::move(options)),
      client_(std::move(client)),
      grant_(std::move(grant)),
      clock_(clock != nullptr ? *clock : http::RealClock()) {}

std::string TableClient::EncodeParam(absl::string_view text) {
  static constexpr absl::string_view kUnreserved = "-_.~";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || absl::StrContains(kUnreserved, c)) {
      out.push_back(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

absl::StatusOr<std::string> TableClient::AccessToken(bool force) {
  absl::MutexLock lock(&mu_);
  if (!force && !access_token_.empty() && clock_.Now() < renew_at_) return access_token_;
  http::HttpRequest request;
  request.method = http::HttpMethod::kPost;
  request.url = absl::StrCat(base_url_, "/oauth_token.do");
  request.headers.Add("Accept", "application/json");
  request.headers.Add("Content-Type", "application/x-www-form-urlencoded");
  request.body = absl::StrCat("grant_type=password&client_id=", EncodeParam(grant_->client_id),
                              "&client_secret=", EncodeParam(grant_->client_secret),
                              "&username=", EncodeParam(grant_->username),
                              "&password=", EncodeParam(grant_->password));
  // A password grant changes nothing on the instance: safe to send again.
  request.idempotent = true;
  const std::string where = "servicenow POST /oauth_token.do";
  absl::StatusOr<http::HttpResponse> response = client_->Send(request);
  if (!response.ok()) {
    const std::optional<int> code = http::HttpStatusOf(response.status());
    if (code == 400 || code == 401) {
      return absl::UnauthenticatedError(client_->redactor().Scrub(
          absl::StrCat(where, ": the instance refused the OAuth password grant (HTTP ", *code,
                       "); ", CredentialFix(AuthKind::kOAuthPassword))));
    }
    return response.status();
  }
  absl::StatusOr<json> parsed = http::ParseJson(response->body, where);
  if (!parsed.ok()) return parsed.status();
  const http::JsonReader reader(*parsed, where);
  absl::StatusOr<std::string> token = reader.RequireString("access_token");
  if (!token.ok()) return token.status();
  absl::StatusOr<std::optional<int64_t>> expires_in = reader.OptionalInt("expires_in");
  if (!expires_in.ok()) return expires_in.status();
  // ServiceNow's default lifetime is 1799 s; renew a minute early, or
  // halfway through a shorter life.
  const absl::Duration life = absl::Seconds(expires_in->value_or(1799));
  access_token_ = *token;
  renew_at_ = clock_.Now() + life - std::min(absl::Minutes(1), life / 2);
  return access_token_;
}

absl::StatusOr<http::HttpResponse> TableClient::Send(http::HttpMethod method,
                                                     absl::string_view table,
                                                     const std::string& path_and_query,
                                                     const json* body,
                                                     http::RequestPriority priority) {
  http::HttpRequest request;
  request.method = method;
  request.url = absl::StrCat(base_url_, path_and_query);
  request.headers.Add("Accept", "application/json");
  if (body != nullptr) request.body = body->dump();
  request.priority = priority;
  for (int attempt = 0;; ++attempt) {
    if (grant_.has_value()) {
      absl::StatusOr<std::string> token = AccessToken(/*force=*/attempt > 0);
      if (!token.ok()) return token.status();
      request.headers.Set("Authorization", absl::StrCat("Bearer ", *token));
    }
    absl::StatusOr<http::HttpResponse> response = client_->Send(request);
    if (response.ok()) return response;
    // A token revoked or expired early: one new grant, then the error.
    if (grant_.has_value() && attempt == 0 &&
        response.status().code() == absl::StatusCode::kUnauthenticated) {
      continue;
    }
    const std::string path(path_and_query.substr(0, path_and_query.find('?')));
    return Convert(response.status(), method, table, path);
  }
}

absl::Status TableClient::Convert(const absl::Status& status, http::HttpMethod method,
                                  absl::string_view table, const std::string& path) const {
  const std::optional<int> code = http::HttpStatusOf(status);
  if (!code.has_value()) return status;  // network, TLS: the client's words
  const std::optional<std::string> body = http::HttpErrorBodyOf(status);
  std::string text = body ? ServiceNowErrorText(*body) : "";
  if (text.empty()) text = std::string(status.message());
  std::string message = absl::StrCat("servicenow ", http::HttpMethodName(method), " ", path,
                                     ": HTTP ", *code, ": ", text);
  if (*code == 401) {
    absl::StrAppend(&message, ". Fix: ", CredentialFix(options_.auth));
  } else if (*code == 403 && absl::StrContains(text, "Data Policy Exception")) {
    // Not a role: the write left out a field the record's new state needs.
    absl::StrAppend(&message,
                    ". Fix: write the mandatory fields it names (map them, or set close_code, "
                    "close_notes or hold_reason in the system's options)");
  } else if (*code == 403) {
    absl::StrAppend(&message, ". Fix: give the integration user the ", RoleFor(table),
                    " role (table ", table, ")");
  } else if (*code == 429) {
    // The HttpClient's message says how long it waited or would have.
    absl::StrAppend(&message, " [", status.message(), "]");
  }
  absl::Status converted(status.code(), client_->redactor().Scrub(message));
  // Keep the HTTP status and body for callers (HttpStatusOf, HttpErrorBodyOf).
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    converted.SetPayload(url, payload);
  });
  return converted;
}

absl::StatusOr<ListPage> TableClient::List(const ListRequest& request) {
  const int limit = request.limit > 0 ? request.limit : options_.page_size;
  std::string path =
      absl::StrCat(options_.table_path, "/", EncodeParam(request.table),
                   "?sysparm_display_value=false&sysparm_exclude_reference_link=true",
                   "&sysparm_limit=", limit, "&sysparm_offset=", request.offset);
  if (!request.query.empty()) {
    absl::StrAppend(&path, "&sysparm_query=", EncodeParam(request.query));
  }
  if (!request.fields.empty()) {
    absl::StrAppend(&path, "&sysparm_fields=", EncodeParam(JoinFields(request.fields)));
  }
  if (!request.count) absl::StrAppend(&path, "&sysparm_no_count=true");
  const std::string where =
      absl::StrCat("servicenow GET ", options_.table_path, "/", request.table);
  absl::StatusOr<http::HttpResponse> response =
      Send(http::HttpMethod::kGet, request.table, path, nullptr, request.priority);
  if (!response.ok()) {
    // Version 1 answers a list without rows with 404 and its error body.
    const std::optional<std::string> body = http::HttpErrorBodyOf(response.status());
    if (response.status().code() == absl::StatusCode::kNotFound && body.has_value() &&
        !ServiceNowErrorText(*body).empty()) {
      return ListPage{};
    }
    return response.status();
  }
  return ParseListPage(*response, limit, where);
}

absl::StatusOr<ListPage> ParseListPage(const http::HttpResponse& response, int limit,
                                       absl::string_view where) {
  absl::StatusOr<json> parsed = http::ParseJson(response.body, where);
  if (!parsed.ok()) return parsed.status();
  const http::JsonReader reader(*parsed, std::string(where));
  absl::StatusOr<std::vector<http::JsonReader>> rows = reader.RequireArray("result");
  if (!rows.ok()) return rows.status();
  ListPage page;
  for (const http::JsonReader& row : *rows) {
    if (absl::StatusOr<std::string> id = row.RequireString("sys_id"); !id.ok()) {
      return id.status();
    }
    page.rows.push_back(row.json());
  }
  bool has_link = false;
  const bool next = HasNextLink(response.headers, &has_link);
  page.more = has_link ? next : static_cast<int>(page.rows.size()) >= limit;
  if (const std::optional<std::string> total = response.headers.Get("X-Total-Count")) {
    int64_t value = 0;
    if (absl::SimpleAtoi(*total, &value)) page.total = value;
  }
  return page;
}

absl::StatusOr<std::vector<json>> TableClient::ListAll(ListRequest request, int max_rows) {
  std::vector<json> rows;
  while (true) {
    absl::StatusOr<ListPage> page = List(request);
    if (!page.ok()) return page.status();
    for (json& row : page->rows) {
      if (static_cast<int>(rows.size()) >= max_rows) {
        return absl::FailedPreconditionError(absl::StrCat("servicenow ", request.table, " query '",
                                                          request.query, "' matched more than ",
                                                          max_rows, " rows; narrow the query"));
      }
      rows.push_back(std::move(row));
    }
    if (!page->more || page->rows.empty()) return rows;
    request.offset += static_cast<int>(page->rows.size());
  }
}

absl::StatusOr<json> ParseRowAnswer(absl::string_view body, absl::string_view where) {
  absl::StatusOr<json> parsed = http::ParseJson(body, where);
  if (!parsed.ok()) return parsed.status();
  const http::JsonReader reader(*parsed, std::string(where));
  absl::StatusOr<http::JsonReader> row = reader.RequireObject("result");
  if (!row.ok()) return row.status();
  if (absl::StatusOr<std::string> id = row->RequireString("sys_id"); !id.ok()) {
    return id.status();
  }
  return row->json();
}

absl::StatusOr<std::optional<json>> TableClient::Get(absl::string_view table,
                                                     absl::string_view sys_id,
                                                     const std::vector<std::string>& fields) {
  std::string path =
      absl::StrCat(options_.table_path, "/", EncodeParam(table), "/", EncodeParam(sys_id),
                   "?sysparm_display_value=false&sysparm_exclude_reference_link=true");
  if (!fields.empty()) absl::StrAppend(&path, "&sysparm_fields=", EncodeParam(JoinFields(fields)));
  absl::StatusOr<http::HttpResponse> response =
      Send(http::HttpMethod::kGet, table, path, nullptr, http::RequestPriority::kLive);
  if (!response.ok()) {
    if (response.status().code() == absl::StatusCode::kNotFound) return std::nullopt;
    return response.status();
  }
  absl::StatusOr<json> row =
      ParseRowAnswer(response->body,
                     absl::StrCat("servicenow GET ", options_.table_path, "/", table, "/", sys_id));
  if (!row.ok()) return row.status();
  return std::optional<json>(*std::move(row));
}

absl::StatusOr<json> TableClient::Insert(absl::string_view table, const json& values) {
  const std::string path = absl::StrCat(options_.table_path, "/", EncodeParam(table),
                                        "?sysparm_exclude_reference_link=true");
  absl::StatusOr<http::HttpResponse> response =
      Send(http::HttpMethod::kPost, table, path, &values, http::RequestPriority::kLive);
  if (!response.ok()) return response.status();
  return ParseRowAnswer(response->body,
                        absl::StrCat("servicenow POST ", options_.table_path, "/", table));
}

absl::StatusOr<json> TableClient::Update(absl::string_view table, absl::string_view sys_id,
                                         const json& values) {
  const std::string path =
      absl::StrCat(options_.table_path, "/", EncodeParam(table), "/", EncodeParam(sys_id),
                   "?sysparm_exclude_reference_link=true");
  absl::StatusOr<http::HttpResponse> response =
      Send(http::HttpMethod::kPatch, table, path, &values, http::RequestPriority::kLive);
  if (!response.ok()) return response.status();
  return ParseRowAnswer(response->body, absl::StrCat("servicenow PATCH ", options_.table_path, "/",
                                                     table, "/", sys_id));
}

std::string TableClient::RecordUrl(absl::string_view table, absl::string_view sys_id) const {
  return absl::StrCat(base_url_, "/nav_to.do?uri=", EncodeParam(table), ".do%3Fsys_id%3D",
                      EncodeParam(sys_id));
}

}  // namespace ferry::servicenow
