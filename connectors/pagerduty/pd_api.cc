#include "connectors/pagerduty/pd_api.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "http/http_status.h"
#include "http/json_fields.h"

namespace ferry::pagerduty {
namespace {

constexpr char kAccept[] = "application/vnd.pagerduty+json;version=2";

std::string UrlEncode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "%", absl::string_view("0123456789ABCDEF" + (c >> 4), 1),
                      absl::string_view("0123456789ABCDEF" + (c & 15), 1));
    }
  }
  return out;
}

std::string QueryString(const QueryParams& params) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : params) {
    // Keep "[]" readable: PagerDuty accepts array names unescaped.
    absl::string_view key = name;
    const bool array = absl::ConsumeSuffix(&key, "[]");
    parts.push_back(absl::StrCat(UrlEncode(std::string(key)), array ? "[]" : "", "=",
                                 UrlEncode(value)));
  }
  return parts.empty() ? "" : absl::StrCat("?", absl::StrJoin(parts, "&"));
}

// PagerDuty's `errors` detail: a list of strings, one string, or an object
// keyed by field (all seen in the wild; PagerDuty REST
// API reference: Errors).
std::string ErrorDetails(const nlohmann::json& errors) {
  if (errors.is_string()) return errors.get<std::string>();
  std::vector<std::string> parts;
  if (errors.is_array()) {
    for (const auto& e : errors) parts.push_back(e.is_string() ? e.get<std::string>() : e.dump());
  } else if (errors.is_object()) {
    for (const auto& [field, detail] : errors.items()) {
      parts.push_back(absl::StrCat(field, ": ", detail.is_string() ? detail.get<std::string>()
                                                                   : detail.dump()));
    }
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace

absl::Status WithPagerDutyError(const absl::Status& status, const std::string& what) {
  if (status.ok()) return status;
  if (absl::IsUnauthenticated(status)) {
    // The body may echo the Authorization header, so it is not parsed.
    return absl::UnauthenticatedError(absl::StrCat(
        what, ": PagerDuty refused the token; check that the system's token is "
        "a valid, active PagerDuty API key (", status.message(), ")"));
  }
  const std::optional<std::string> body = http::HttpErrorBodyOf(status);
  const std::optional<int> http_status = http::HttpStatusOf(status);
  if (!body.has_value()) {
    return absl::Status(status.code(), absl::StrCat(what, ": ", status.message()));
  }
  const nlohmann::json json = nlohmann::json::parse(*body, nullptr, false);
  std::string detail;
  if (json.is_object() && json.contains("error")) {
    const nlohmann::json& error = json["error"];
    if (error.is_object()) {
      detail = http::JsonReader(error, what).StringOr("message");
      if (error.contains("code") && error["code"].is_number()) {
        absl::StrAppend(&detail, " (PagerDuty error code ", error["code"].dump(), ")");
      }
      if (error.contains("errors")) {
        const std::string details = ErrorDetails(error["errors"]);
        if (!details.empty()) absl::StrAppend(&detail, ": ", details);
      }
    } else {
      detail = ErrorDetails(error);
    }
  }
  if (detail.empty()) {
    return absl::Status(status.code(), absl::StrCat(what, ": ", status.message()));
  }
  absl::Status out(status.code(),
                   absl::StrCat(what, ": PagerDuty answered HTTP ",
                                http_status.value_or(0), ": ", detail));
  status.ForEachPayload([&out](absl::string_view url, const absl::Cord& payload) {
    out.SetPayload(url, payload);
  });
  return out;
}

absl::StatusOr<absl::Time> ParsePdTime(const std::string& text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("PagerDuty time '", text, "' is not RFC 3339: ", error));
  }
  // Times go into protobuf Timestamps, which hold these years only (and
  // abort the process on others).
  const absl::TimeZone utc = absl::UTCTimeZone();
  if (time < absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), utc) ||
      time >= absl::FromCivil(absl::CivilSecond(10000, 1, 1, 0, 0, 0), utc)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "PagerDuty time '", text, "' is outside years 1 to 9999 (UTC)"));
  }
  return time;
}

std::string FormatPdTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

PdApi::PdApi(std::unique_ptr<http::HttpClient> client, std::string base_url,
             std::string from_email)
    : client_(std::move(client)),
      base_url_(absl::StripSuffix(base_url, "/")),
      from_email_(std::move(from_email)) {}

absl::StatusOr<nlohmann::json> PdApi::Get(const std::string& path,
                                          const QueryParams& params,
                                          http::RequestPriority priority) const {
  return Send(http::HttpMethod::kGet, path, params, nullptr, false, priority);
}

absl::StatusOr<nlohmann::json> PdApi::Post(const std::string& path,
                                           const nlohmann::json& body,
                                           bool idempotent) const {
  return Send(http::HttpMethod::kPost, path, {}, &body, idempotent,
              http::RequestPriority::kLive);
}

absl::StatusOr<nlohmann::json> PdApi::Put(const std::string& path,
                                          const nlohmann::json& body) const {
  return Send(http::HttpMethod::kPut, path, {}, &body, false,
              http::RequestPriority::kLive);
}

absl::StatusOr<nlohmann::json> PdApi::Send(http::HttpMethod method,
                                           const std::string& path,
                                           const QueryParams& params,
                                           const nlohmann::json* body,
                                           bool idempotent,
                                           http::RequestPriority priority) const {
  http::HttpRequest request;
  request.method = method;
  request.url = absl::StrCat(base_url_, path, QueryString(params));
  request.headers.Add("Accept", kAccept);
  if (method != http::HttpMethod::kGet && !from_email_.empty()) {
    request.headers.Add("From", from_email_);
  }
  if (body != nullptr) request.body = body->dump();
  request.idempotent = idempotent;
  request.priority = priority;
  absl::StatusOr<http::HttpResponse> response = client_->Send(request);
  const std::string what =
      absl::StrCat("PagerDuty ", http::HttpMethodName(method), " ", path);
  if (!response.ok()) return WithPagerDutyError(response.status(), what);
  if (response->body.empty()) return nlohmann::json::object();
  return http::ParseJson(response->body, what);
}

absl::StatusOr<ListPage> PdApi::GetPage(const std::string& path,
                                        const QueryParams& params,
                                        const std::string& collection,
                                        int offset, int limit, bool total,
                                        http::RequestPriority priority) const {
  if (offset + limit > kMaxOffsetPlusLimit) {
    return absl::InvalidArgumentError(absl::StrCat(
        "PagerDuty GET ", path, ": offset ", offset, " + limit ", limit,
        " passes PagerDuty's cap of ", kMaxOffsetPlusLimit,
        "; narrow the filters (a shorter since/until window)"));
  }
  QueryParams all = params;
  all.emplace_back("limit", std::to_string(limit));
  all.emplace_back("offset", std::to_string(offset));
  if (total) all.emplace_back("total", "true");
  absl::StatusOr<nlohmann::json> json = Get(path, all, priority);
  if (!json.ok()) return json.status();
  return ParseListPage(*json, absl::StrCat("PagerDuty GET ", path), collection);
}

absl::StatusOr<ListPage> ParseListPage(const nlohmann::json& json, const std::string& where,
                                       const std::string& collection) {
  const http::JsonReader body(json, where);
  absl::StatusOr<std::vector<http::JsonReader>> items = body.RequireArray(collection);
  if (!items.ok()) return items.status();
  absl::StatusOr<bool> more = body.OptionalBool("more", false);
  if (!more.ok()) return more.status();
  absl::StatusOr<std::optional<int64_t>> count = body.OptionalInt("total");
  if (!count.ok()) return count.status();
  ListPage page;
  for (const http::JsonReader& item : *items) {
    // Every list PagerDuty serves is of objects; callers read their fields.
    if (!item.is_object()) {
      return absl::UnavailableError(absl::StrCat(item.Describe(), " is not an object"));
    }
    page.items.push_back(item.json());
  }
  page.more = *more;
  page.total = *count;
  return page;
}

absl::StatusOr<std::vector<nlohmann::json>> PdApi::ListAll(
    const std::string& path, const QueryParams& params,
    const std::string& collection, http::RequestPriority priority) const {
  std::vector<nlohmann::json> all;
  int offset = 0;
  while (true) {
    const int limit = std::min(kMaxPageLimit, kMaxOffsetPlusLimit - offset);
    absl::StatusOr<ListPage> page =
        GetPage(path, params, collection, offset, limit, false, priority);
    if (!page.ok()) return page.status();
    // Advance by what came back, not by the limit asked (PagerDuty REST API
    // reference: Pagination).
    offset += static_cast<int>(page->items.size());
    for (auto& item : page->items) all.push_back(std::move(item));
    if (!page->more || page->items.empty()) return all;
    if (offset >= kMaxOffsetPlusLimit) {
      return absl::FailedPreconditionError(absl::StrCat(
          "PagerDuty GET ", path, " lists more than ", kMaxOffsetPlusLimit,
          " ", collection, ", more than its offset cap lets a client read; "
          "narrow the filters"));
    }
  }
}

}  // namespace ferry::pagerduty
