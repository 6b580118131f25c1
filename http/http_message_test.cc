#include "http/http_message.h"

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

TEST(HttpHeadersTest, LookupIgnoresCase) {
  HttpHeaders headers;
  headers.Add("RateLimit-Reset", "20");
  EXPECT_EQ(headers.Get("ratelimit-reset"), "20");
  EXPECT_EQ(headers.Get("RATELIMIT-RESET"), "20");
  EXPECT_FALSE(headers.Get("Retry-After").has_value());
}

TEST(HttpHeadersTest, AddKeepsRepeatsAndGetReturnsTheFirst) {
  HttpHeaders headers;
  headers.Add("Link", "<a>");
  headers.Add("link", "<b>");
  EXPECT_EQ(headers.fields().size(), 2u);
  EXPECT_EQ(headers.Get("LINK"), "<a>");
}

TEST(HttpHeadersTest, SetReplacesEveryFieldOfThatName) {
  HttpHeaders headers;
  headers.Add("Accept", "text/plain");
  headers.Add("ACCEPT", "text/html");
  headers.Set("accept", "application/json");
  ASSERT_EQ(headers.fields().size(), 1u);
  EXPECT_EQ(headers.Get("Accept"), "application/json");
}

TEST(HttpMethodTest, OnlyPostAndPatchAreNotIdempotent) {
  EXPECT_TRUE(IsIdempotentMethod(HttpMethod::kGet));
  EXPECT_TRUE(IsIdempotentMethod(HttpMethod::kHead));
  EXPECT_TRUE(IsIdempotentMethod(HttpMethod::kPut));
  EXPECT_TRUE(IsIdempotentMethod(HttpMethod::kDelete));
  EXPECT_FALSE(IsIdempotentMethod(HttpMethod::kPost));
  EXPECT_FALSE(IsIdempotentMethod(HttpMethod::kPatch));
  EXPECT_EQ(HttpMethodName(HttpMethod::kPatch), "PATCH");
}

}  // namespace
}  // namespace ferry::http
