#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "http/http_client.h"
#include "connectors/jira/jira_options.h"
#include "engine/connector/connector_context.h"
#include "nlohmann/json.hpp"
#include "proto/config.pb.h"

namespace ferry::jira {


// One page-through search.
struct SearchRequest {
  std::string jql;
  // Field ids to return; empty returns only ids.
  std::vector<std::string> fields;
  // "changelog", "transitions".
  std::vector<std::string> expand;
  // Issue property keys to return.
  std::vector<std::string> properties;
  int page_size = 50;
  // Stop after this many issues.
  int max_issues = 1000;
};

// Issues a search found, in the query's order, each an object with a string
// id, and whether more matched than `max_issues`.
struct SearchResult {
  std::vector<nlohmann::json> issues;
  bool truncated = false;
};

// One page of a search answer, as JiraApi::Search reads it.
struct SearchPage {
  // The page's issues, each an object with a string id.
  std::vector<nlohmann::json> issues;
  // No page follows. Cloud: isLast, or no nextPageToken; Data Center: the
  // page is empty or reaches `total`.
  bool last = true;
  // Cloud, when not `last`: the token that asks for the next page.
  std::string next_page_token;
};

// Reads the parsed answer `page` of a Cloud (POST /search/jql) or Data
// Center (POST /search, the page that started at `start_at`) search.
// UNAVAILABLE naming `where` (the request) and the field when the page has
// the wrong shape ("issues" not a list, "isLast" not a boolean, an issue
// without a string id).
absl::StatusOr<SearchPage> ParseSearchPage(const nlohmann::json& page, const std::string& where,
                                           bool cloud, int start_at);

// A small Jira REST client over the shared HttpClient, for one system and
// one credential.
//
// Deployment (see jira_options.h): the system's JiraOptions.deployment;
// when unset, detected once from GET /rest/api/2/serverInfo
// (deploymentType "Cloud").
// Credentials: `username` set → Basic username:token; otherwise Data
// Center → Bearer personal access token; otherwise Cloud → Basic
// user_email:API token. The token never appears in a message.
// Errors: the HttpClient's codes (see http/http_status.h); Jira's
// error body ({"errorMessages": [...], "errors": {"field": "msg"}}) is
// turned into a message that names each field: "jira PUT
// /rest/api/2/issue/10000: HTTP 400: priority: Priority name 'P9' is not
// valid". Answers that are not JSON are INTERNAL.
//
// Thread-safe.
class JiraApi {
 public:
  // Fails with INVALID_ARGUMENT (naming the setting and the fix) when the
  // URL or token is empty, `deployment` is neither cloud nor datacenter, or
  // a Cloud system has no user_email. `context` lends the shared budget
  // (when requests_per_minute is set) and the HTTP observer.
  static absl::StatusOr<std::unique_ptr<JiraApi>> Create(
      const ferry::v1::SystemConfig& system, const std::string& secret,
      const ferry::engine::ConnectorContext& context = {});

  // The deployment (configured, or detected on first call).
  absl::StatusOr<Deployment> GetDeployment();

  // "/rest/api/3" on Cloud, "/rest/api/2" on Data Center.
  absl::StatusOr<std::string> ApiPrefix();

  // REST calls under ApiPrefix(): `path` is like "/issue/10000?fields=id".
  // Return the parsed body, or null for an empty body (204).
  absl::StatusOr<nlohmann::json> Get(absl::string_view path);
  absl::StatusOr<nlohmann::json> Post(absl::string_view path,
                                      const nlohmann::json& body);
  absl::StatusOr<nlohmann::json> Put(absl::string_view path,
                                     const nlohmann::json& body);

  // Runs `request` and pages through every match (Cloud: POST /search/jql
  // with nextPageToken; Data Center: POST /search with startAt).
  // UNAVAILABLE naming the field when a page has the wrong shape ("issues"
  // not a list, "isLast" not a boolean, an issue without a string id).
  absl::StatusOr<SearchResult> Search(const SearchRequest& request);

  // One page of `request` (`max_issues` is not applied): on Data Center
  // from offset `start_at`, on Cloud after `page_token` (empty: the first
  // page). Errors as Search.
  absl::StatusOr<SearchPage> SearchOnePage(const SearchRequest& request, int start_at,
                                           const std::string& page_token);

  // The browser link of an issue key.
  std::string BrowseUrl(absl::string_view key) const;

  // `text` as a quoted JQL string literal.
  static std::string QuoteJql(absl::string_view text);

  // "/issue/<id>" style path segment escaping for ids, keys and property
  // keys.
  static std::string EscapePath(absl::string_view segment);

 private:
  JiraApi(std::string base_url, std::unique_ptr<http::HttpClient> client,
          std::optional<Deployment> deployment);

  absl::StatusOr<nlohmann::json> Call(http::HttpMethod method,
                                      const std::string& path,
                                      const nlohmann::json* body,
                                      bool idempotent);

  const std::string base_url_;
  std::unique_ptr<http::HttpClient> client_;
  absl::Mutex mu_;
  std::optional<Deployment> deployment_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::jira
