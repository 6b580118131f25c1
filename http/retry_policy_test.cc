#include "http/retry_policy.h"

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

RetryPolicy Policy() {
  RetryPolicy policy;
  policy.initial_backoff = absl::Seconds(1);
  policy.max_backoff = absl::Seconds(10);
  return policy;
}

TEST(BackoffDelayTest, CeilingDoublesPerRetryUpToTheMaximum) {
  const double kTop = 1.0;  // the draw that yields the ceiling itself
  EXPECT_EQ(BackoffDelay(Policy(), 1, kTop), absl::Seconds(1));
  EXPECT_EQ(BackoffDelay(Policy(), 2, kTop), absl::Seconds(2));
  EXPECT_EQ(BackoffDelay(Policy(), 4, kTop), absl::Seconds(8));
  EXPECT_EQ(BackoffDelay(Policy(), 5, kTop), absl::Seconds(10));
  EXPECT_EQ(BackoffDelay(Policy(), 1000, kTop), absl::Seconds(10));
}

TEST(BackoffDelayTest, FullJitterScalesTheWholeCeiling) {
  EXPECT_EQ(BackoffDelay(Policy(), 3, 0.0), absl::ZeroDuration());
  EXPECT_EQ(BackoffDelay(Policy(), 3, 0.25), absl::Seconds(1));
}

TEST(DefaultUniformRandomTest, DrawsFromTheUnitInterval) {
  const UniformRandom random = DefaultUniformRandom();
  for (int i = 0; i < 1000; ++i) {
    const double draw = random();
    ASSERT_GE(draw, 0.0);
    ASSERT_LT(draw, 1.0);
  }
}

TEST(IsRetryableHttpStatusTest, TimeoutsRateLimitsAndServerErrors) {
  EXPECT_TRUE(IsRetryableHttpStatus(408));
  EXPECT_TRUE(IsRetryableHttpStatus(429));
  EXPECT_TRUE(IsRetryableHttpStatus(500));
  EXPECT_TRUE(IsRetryableHttpStatus(503));
  EXPECT_FALSE(IsRetryableHttpStatus(400));
  EXPECT_FALSE(IsRetryableHttpStatus(403));
  EXPECT_FALSE(IsRetryableHttpStatus(404));
}

}  // namespace
}  // namespace ferry::http
