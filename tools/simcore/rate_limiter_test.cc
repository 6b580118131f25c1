#include "tools/simcore/rate_limiter.h"

#include "gtest/gtest.h"

namespace ferry::simcore {
namespace {

TEST(TokenBucketRateLimiterTest, RefusesWhenEmptyAndRefillsWithTheClock) {
  SimClock clock;
  TokenBucketRateLimiter limiter(&clock, {3, absl::Seconds(60)});
  EXPECT_EQ(limiter.Acquire("a").remaining, 2);
  EXPECT_EQ(limiter.Acquire("a").remaining, 1);
  RateDecision last = limiter.Acquire("a");
  EXPECT_TRUE(last.allowed);
  EXPECT_EQ(last.remaining, 0);
  EXPECT_EQ(last.limit, 3);
  RateDecision refused = limiter.Acquire("a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_GT(refused.reset_seconds, 0);
  EXPECT_LE(refused.reset_seconds, 60);

  clock.Advance(absl::Seconds(refused.reset_seconds));
  RateDecision after = limiter.Acquire("a");
  EXPECT_TRUE(after.allowed);
  EXPECT_EQ(after.remaining, 2);
}

TEST(TokenBucketRateLimiterTest, KeysAreIndependent) {
  SimClock clock;
  TokenBucketRateLimiter limiter(&clock, {1, absl::Seconds(60)});
  EXPECT_TRUE(limiter.Acquire("a").allowed);
  EXPECT_FALSE(limiter.Acquire("a").allowed);
  EXPECT_TRUE(limiter.Acquire("b").allowed);
}

TEST(TokenBucketRateLimiterTest, SetLimitsValidatesAndRefills) {
  SimClock clock;
  TokenBucketRateLimiter limiter(&clock, {1, absl::Seconds(60)});
  EXPECT_TRUE(limiter.Acquire("a").allowed);
  EXPECT_FALSE(limiter.SetLimits({0, absl::Seconds(60)}));
  EXPECT_FALSE(limiter.SetLimits({5, absl::ZeroDuration()}));
  ASSERT_TRUE(limiter.SetLimits({5, absl::Seconds(10)}));
  RateDecision decision = limiter.Acquire("a");
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.limit, 5);
  EXPECT_EQ(decision.remaining, 4);
  EXPECT_EQ(decision.reset_seconds, 2);
}

TEST(TokenBucketRateLimiterTest, AFixedWindowComesBackWholeOnlyWhenItEnds) {
  SimClock clock;
  TokenBucketRateLimiter limiter(&clock, {3, absl::Seconds(60), /*fixed_window=*/true});
  EXPECT_EQ(limiter.Acquire("a").reset_seconds, 60);
  clock.Advance(absl::Seconds(20));
  EXPECT_EQ(limiter.Acquire("a").remaining, 1);
  RateDecision last = limiter.Acquire("a");
  EXPECT_EQ(last.remaining, 0);
  EXPECT_EQ(last.reset_seconds, 40);
  // Half of the rest of the window refills nothing (a bucket would have 1).
  clock.Advance(absl::Seconds(20));
  RateDecision refused = limiter.Acquire("a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.reset_seconds, 20);
  clock.Advance(absl::Seconds(20));
  RateDecision fresh = limiter.Acquire("a");
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 2);
  EXPECT_EQ(fresh.reset_seconds, 60);
}

TEST(SimClockTest, AdvancesButNeverGoesBack) {
  SimClock clock;
  EXPECT_TRUE(clock.Advance(absl::Hours(2)));
  EXPECT_FALSE(clock.Advance(absl::Seconds(-1)));
  EXPECT_EQ(clock.Offset(), absl::Hours(2));
  EXPECT_GE(clock.Now(), absl::Now() + absl::Hours(2) - absl::Minutes(1));
}

}  // namespace
}  // namespace ferry::simcore
