#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace ferry::http {

// HTTP header fields in the order they were added. Names compare
// case-insensitively (RFC 9110, section 5.1); values are kept byte for byte.
// A plain value type: copyable, not synchronised.
class HttpHeaders {
 public:
  // Appends a field; an existing field of the same name is kept (HTTP allows
  // repeated fields).
  void Add(std::string name, std::string value);

  // Replaces every field named `name` with one field.
  void Set(absl::string_view name, std::string value);

  // The value of the first field named `name` (any case), or nullopt.
  std::optional<std::string> Get(absl::string_view name) const;

  bool Has(absl::string_view name) const { return Get(name).has_value(); }

  // Every field, in insertion order.
  const std::vector<std::pair<std::string, std::string>>& fields() const {
    return fields_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Methods the connectors use.
enum class HttpMethod { kGet, kHead, kPost, kPut, kPatch, kDelete };

// "GET", "POST", ...
absl::string_view HttpMethodName(HttpMethod method);

// Whether HTTP itself defines `method` as idempotent (RFC 9110, section 9.2.2):
// GET, HEAD, PUT and DELETE are; POST and PATCH are not.
bool IsIdempotentMethod(HttpMethod method);

// Which budget queue a request waits in when its credential's budget is
// spent: live changes go ahead of backfill (see token_bucket.h).
enum class RequestPriority { kLive, kBackfill };

// One request to an end system.
struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  // Absolute URL, e.g. "https://api.pagerduty.com/incidents?limit=100".
  std::string url;
  // Fields to send. The client adds Authorization itself (from its options);
  // callers put no secret here.
  HttpHeaders headers;
  // Sent as "Content-Type: application/json" unless `headers` names another
  // type: every Ferry end system speaks JSON.
  std::string body;
  // Marks a POST or PATCH as safe to send twice (for example a create that
  // carries a de-duplication key the end system honours). Requests with an
  // idempotent method are retried regardless. Unmarked POST/PATCH requests
  // are sent once: after a timeout or 5xx the first attempt may have been
  // applied, and a retried create would duplicate the incident or comment.
  bool idempotent = false;
  RequestPriority priority = RequestPriority::kLive;
};

// One response, whatever its status code.
struct HttpResponse {
  int status_code = 0;
  HttpHeaders headers;
  std::string body;
};

}  // namespace ferry::http
