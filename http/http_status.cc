#include "http/http_status.h"

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ferry::http {
namespace {

constexpr char kStatusPayload[] = "type.ferry.dev/http.status";
constexpr char kBodyPayload[] = "type.ferry.dev/http.body";
constexpr size_t kMaxBodyInMessage = 1000;

std::string Excerpt(absl::string_view body) {
  if (body.size() <= kMaxBodyInMessage) return std::string(body);
  return absl::StrCat(body.substr(0, kMaxBodyInMessage), "... (",
                      body.size() - kMaxBodyInMessage, " more bytes)");
}

}  // namespace

absl::StatusCode StatusCodeForHttp(int http_status) {
  switch (http_status) {
    case 400:
    case 413:
    case 422:
      return absl::StatusCode::kInvalidArgument;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 402:
    case 412:
      return absl::StatusCode::kFailedPrecondition;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
    case 410:
      return absl::StatusCode::kNotFound;
    case 408:
      return absl::StatusCode::kDeadlineExceeded;
    case 409:
      return absl::StatusCode::kAborted;
    case 429:
      return absl::StatusCode::kResourceExhausted;
    default:
      break;
  }
  if (http_status >= 500 && http_status <= 599) {
    return absl::StatusCode::kUnavailable;
  }
  return absl::StatusCode::kUnknown;
}

absl::Status StatusFromHttpResponse(int http_status, absl::string_view body,
                                    absl::string_view context, int attempts) {
  std::string message = absl::StrCat(context, ": HTTP ", http_status);
  if (attempts > 1) absl::StrAppend(&message, " after ", attempts, " attempts");
  if (!body.empty()) absl::StrAppend(&message, ": ", Excerpt(body));
  absl::Status status(StatusCodeForHttp(http_status), message);
  status.SetPayload(kStatusPayload, absl::Cord(absl::StrCat(http_status)));
  status.SetPayload(kBodyPayload, absl::Cord(body));
  return status;
}

std::optional<int> HttpStatusOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kStatusPayload);
  int http_status = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &http_status)) {
    return std::nullopt;
  }
  return http_status;
}

std::optional<std::string> HttpErrorBodyOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kBodyPayload);
  if (!payload) return std::nullopt;
  return std::string(*payload);
}

}  // namespace ferry::http
