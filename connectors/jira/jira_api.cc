#include "connectors/jira/jira_api.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "http/http_status.h"
#include "http/json_fields.h"
#include "engine/config/system_options.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

// Jira's error body as "field: message; message" text; empty when the body
// is not Jira's error shape.
std::string JiraErrorText(const std::string& body) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return "";
  std::vector<std::string> parts;
  const json& messages = http::MemberOrNull(parsed, "errorMessages");
  if (messages.is_array()) {
    for (const json& message : messages) {
      if (message.is_string()) parts.push_back(message.get<std::string>());
    }
  }
  const json& errors = http::MemberOrNull(parsed, "errors");
  if (errors.is_object()) {
    for (const auto& [field, message] : errors.items()) {
      parts.push_back(absl::StrCat(
          field, ": ", message.is_string() ? message.get<std::string>()
                                           : message.dump()));
    }
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace

absl::StatusOr<std::unique_ptr<JiraApi>> JiraApi::Create(
    const ferry::v1::SystemConfig& system, const std::string& secret,
    const ferry::engine::ConnectorContext& context) {
  const std::string where = absl::StrCat("jira system '", system.name(), "'");
  if (system.url().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": url is empty; set it to the site, e.g. "
               "https://example.atlassian.net"));
  }
  if (secret.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": the token resolved to an empty value; set token to an API "
               "token (Cloud) or personal access token (Data Center)"));
  }
  JiraOptions jira_options;
  if (absl::Status unpacked = config::UnpackSystemOptions(system, &jira_options);
      !unpacked.ok()) {
    return unpacked;
  }
  bool known = true;
  std::optional<Deployment> deployment = ParseDeployment(jira_options.deployment(), &known);
  if (!known) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": options.deployment '", jira_options.deployment(),
        "' is unknown; use cloud or datacenter, or leave it out to detect it"));
  }
  http::HttpClientOptions options;
  options.system = system.name().empty() ? "jira" : system.name();
  options.secrets = {secret};
  options.transport.ca_bundle_path = system.ca_bundle();
  if (!system.username().empty()) {
    options.authorization = absl::StrCat(
        "Basic ", absl::Base64Escape(absl::StrCat(system.username(), ":", secret)));
  } else if (deployment == Deployment::kDataCenter ||
             system.user_email().empty()) {
    if (deployment == Deployment::kCloud) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": Jira Cloud needs user_email (the API token's owner) for "
                 "Basic authentication; set user_email"));
    }
    options.authorization = absl::StrCat("Bearer ", secret);
  } else {
    options.authorization = absl::StrCat(
        "Basic ",
        absl::Base64Escape(absl::StrCat(system.user_email(), ":", secret)));
  }
  options.secrets.push_back(options.authorization);
  absl::Status shared = ferry::engine::ShareHttpResources(
      context, system.requests_per_minute(), &options);
  if (!shared.ok()) return shared;
  auto client = http::HttpClient::Create(std::move(options));
  if (!client.ok()) return client.status();
  std::string base(absl::StripSuffix(system.url(), "/"));
  return std::unique_ptr<JiraApi>(
      new JiraApi(std::move(base), *std::move(client), deployment));
}

JiraApi::JiraApi(std::string base_url, std::unique_ptr<http::HttpClient> client,
                 std::optional<Deployment> deployment)
    : base_url_(std::move(base_url)),
      client_(std::move(client)),
      deployment_(deployment) {}

absl::StatusOr<Deployment> JiraApi::GetDeployment() {
  {
    absl::MutexLock lock(&mu_);
    if (deployment_.has_value()) return *deployment_;
  }
  auto info = Call(http::HttpMethod::kGet, "/rest/api/2/serverInfo", nullptr,
                   /*idempotent=*/true);
  if (!info.ok()) return info.status();
  const Deployment found = http::StringOr(*info, "deploymentType") == "Cloud"
                               ? Deployment::kCloud
                               : Deployment::kDataCenter;
  absl::MutexLock lock(&mu_);
  deployment_ = found;
  return found;
}

absl::StatusOr<std::string> JiraApi::ApiPrefix() {
  auto deployment = GetDeployment();
  if (!deployment.ok()) return deployment.status();
  return std::string(*deployment == Deployment::kCloud ? "/rest/api/3"
                                                       : "/rest/api/2");
}

absl::StatusOr<json> JiraApi::Get(absl::string_view path) {
  auto prefix = ApiPrefix();
  if (!prefix.ok()) return prefix.status();
  return Call(http::HttpMethod::kGet, absl::StrCat(*prefix, path), nullptr,
              true);
}

absl::StatusOr<json> JiraApi::Post(absl::string_view path, const json& body) {
  auto prefix = ApiPrefix();
  if (!prefix.ok()) return prefix.status();
  return Call(http::HttpMethod::kPost, absl::StrCat(*prefix, path), &body,
              false);
}

absl::StatusOr<json> JiraApi::Put(absl::string_view path, const json& body) {
  auto prefix = ApiPrefix();
  if (!prefix.ok()) return prefix.status();
  return Call(http::HttpMethod::kPut, absl::StrCat(*prefix, path), &body,
              true);
}

absl::StatusOr<json> JiraApi::Call(http::HttpMethod method,
                                   const std::string& path, const json* body,
                                   bool idempotent) {
  http::HttpRequest request;
  request.method = method;
  request.url = base_url_ + path;
  request.headers.Add("Accept", "application/json");
  if (body != nullptr) request.body = body->dump();
  request.idempotent = idempotent;
  auto response = client_->Send(request);
  if (!response.ok()) {
    const absl::Status& status = response.status();
    std::optional<std::string> error_body = http::HttpErrorBodyOf(status);
    std::string text = error_body ? JiraErrorText(*error_body) : "";
    if (text.empty()) return status;
    std::optional<int> code = http::HttpStatusOf(status);
    return absl::Status(
        status.code(),
        client_->redactor().Scrub(absl::StrCat(
            "jira ", http::HttpMethodName(method), " ", path, ": HTTP ",
            code.value_or(0), ": ", text)));
  }
  if (response->body.empty()) return json();
  json parsed = json::parse(response->body, nullptr, false);
  if (parsed.is_discarded()) {
    return absl::InternalError(absl::StrCat(
        "jira ", http::HttpMethodName(method), " ", path,
        ": the answer is not JSON (is the url the Jira site?): ",
        client_->redactor().Scrub(response->body.substr(0, 200))));
  }
  return parsed;
}

absl::StatusOr<SearchPage> JiraApi::SearchOnePage(const SearchRequest& request,
                                                  int start_at,
                                                  const std::string& page_token) {
  auto deployment = GetDeployment();
  if (!deployment.ok()) return deployment.status();
  const bool cloud = *deployment == Deployment::kCloud;
  json body = {{"jql", request.jql},
               {"maxResults", request.page_size},
               {"fields", request.fields.empty()
                              ? json::array({"id"})
                              : json(request.fields)}};
  if (!request.expand.empty()) {
    body["expand"] = cloud ? json(absl::StrJoin(request.expand, ","))
                           : json(request.expand);
  }
  if (!request.properties.empty()) body["properties"] = request.properties;
  if (cloud && !page_token.empty()) body["nextPageToken"] = page_token;
  if (!cloud) body["startAt"] = start_at;
  const std::string path =
      absl::StrCat(cloud ? "/rest/api/3" : "/rest/api/2",
                   cloud ? "/search/jql" : "/search");
  // A search reads only, so it is safe to retry.
  auto answer = Call(http::HttpMethod::kPost, path, &body, true);
  if (!answer.ok()) return answer.status();
  return ParseSearchPage(*answer, absl::StrCat("jira POST ", path), cloud, start_at);
}

absl::StatusOr<SearchResult> JiraApi::Search(const SearchRequest& request) {
  SearchResult result;
  int start_at = 0;
  std::string token;
  while (true) {
    auto page = SearchOnePage(request, start_at, token);
    if (!page.ok()) return page.status();
    for (json& issue : page->issues) {
      if (static_cast<int>(result.issues.size()) >= request.max_issues) {
        result.truncated = true;
        return result;
      }
      result.issues.push_back(std::move(issue));
    }
    if (page->last) return result;
    start_at += static_cast<int>(page->issues.size());
    token = page->next_page_token;
  }
}

absl::StatusOr<SearchPage> ParseSearchPage(const nlohmann::json& page, const std::string& where,
                                           bool cloud, int start_at) {
  const http::JsonReader reader(page, where);
  absl::StatusOr<std::vector<http::JsonReader>> issues = reader.OptionalArray("issues");
  if (!issues.ok()) return issues.status();
  SearchPage out;
  for (const http::JsonReader& issue : *issues) {
    // Readers and writers key every issue on its id.
    if (auto id = issue.RequireString("id"); !id.ok()) return id.status();
    out.issues.push_back(issue.json());
  }
  if (cloud) {
    absl::StatusOr<bool> is_last = reader.OptionalBool("isLast", true);
    if (!is_last.ok()) return is_last.status();
    absl::StatusOr<std::optional<std::string>> token = reader.OptionalString("nextPageToken");
    if (!token.ok()) return token.status();
    out.last = *is_last || !token->has_value();
    if (!out.last) out.next_page_token = **token;
  } else {
    absl::StatusOr<std::optional<int64_t>> total = reader.OptionalInt("total");
    if (!total.ok()) return total.status();
    out.last = out.issues.empty() ||
               start_at + static_cast<int64_t>(out.issues.size()) >= total->value_or(0);
  }
  return out;
}

std::string JiraApi::BrowseUrl(absl::string_view key) const {
  return absl::StrCat(base_url_, "/browse/", key);
}

std::string JiraApi::QuoteJql(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string JiraApi::EscapePath(absl::string_view segment) {
  std::string out;
  for (unsigned char c : segment) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

}  // namespace ferry::jira
