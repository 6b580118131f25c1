#include "http/http_status.h"

#include <string>

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

TEST(StatusCodeForHttpTest, MapsEachStatusToWhatHappened) {
  EXPECT_EQ(StatusCodeForHttp(400), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusCodeForHttp(422), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusCodeForHttp(401), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(StatusCodeForHttp(403), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(StatusCodeForHttp(404), absl::StatusCode::kNotFound);
  EXPECT_EQ(StatusCodeForHttp(408), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(StatusCodeForHttp(409), absl::StatusCode::kAborted);
  EXPECT_EQ(StatusCodeForHttp(429), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(StatusCodeForHttp(500), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusCodeForHttp(503), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusCodeForHttp(302), absl::StatusCode::kUnknown);
}

TEST(StatusFromHttpResponseTest, KeepsTheEndSystemsWordsAndPayloads) {
  const std::string body =
      R"({"error":{"message":"Access Denied","code":2010}})";
  const absl::Status status =
      StatusFromHttpResponse(403, body, "pagerduty PUT https://x/i/1", 1);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "pagerduty PUT https://x/i/1: HTTP 403: " + body);
  EXPECT_EQ(HttpStatusOf(status), 403);
  EXPECT_EQ(HttpErrorBodyOf(status), body);
}

TEST(StatusFromHttpResponseTest, CutsLongBodiesAndCountsAttempts) {
  const std::string body(5000, 'x');
  const absl::Status status =
      StatusFromHttpResponse(503, body, "jira GET u", 4);
  EXPECT_EQ(status.message(),
            "jira GET u: HTTP 503 after 4 attempts: " + std::string(1000, 'x') +
                "... (4000 more bytes)");
  EXPECT_EQ(HttpErrorBodyOf(status)->size(), 5000u);
}

TEST(HttpStatusOfTest, AbsentOnOtherStatuses) {
  EXPECT_FALSE(HttpStatusOf(absl::UnavailableError("no route")).has_value());
  EXPECT_FALSE(HttpErrorBodyOf(absl::OkStatus()).has_value());
}

}  // namespace
}  // namespace ferry::http
