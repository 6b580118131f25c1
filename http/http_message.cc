#include "http/http_message.h"

#include <algorithm>

#include "absl/strings/match.h"

namespace ferry::http {

void HttpHeaders::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::Set(absl::string_view name, std::string value) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [name](const auto& field) {
                                 return absl::EqualsIgnoreCase(field.first,
                                                               name);
                               }),
                fields_.end());
  fields_.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string> HttpHeaders::Get(absl::string_view name) const {
  for (const auto& [field_name, value] : fields_) {
    if (absl::EqualsIgnoreCase(field_name, name)) return value;
  }
  return std::nullopt;
}

absl::string_view HttpMethodName(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kHead:
      return "HEAD";
    case HttpMethod::kPost:
      return "POST";
    case HttpMethod::kPut:
      return "PUT";
    case HttpMethod::kPatch:
      return "PATCH";
    case HttpMethod::kDelete:
      return "DELETE";
  }
  return "GET";
}

bool IsIdempotentMethod(HttpMethod method) {
  return method != HttpMethod::kPost && method != HttpMethod::kPatch;
}

}  // namespace ferry::http
