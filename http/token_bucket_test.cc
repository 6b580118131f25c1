#include "http/token_bucket.h"

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "http/testing/fake_clock.h"
#include "http/testing/jira_dc_rate_limit.h"
#include "gtest/gtest.h"

namespace ferry::http {
namespace {

using Mode = FakeClock::Mode;

TEST(TokenBucketTest, SpendsTheBurstThenPacesAtTheRate) {
  FakeClock clock(Mode::kInstant);
  const absl::Time start = clock.Now();
  TokenBucket bucket({/*requests_per_second=*/2, /*burst=*/2}, clock);
  for (int i = 0; i < 6; ++i) bucket.Acquire(RequestPriority::kLive);
  EXPECT_EQ(clock.sleeps(),
            std::vector<absl::Duration>(4, absl::Milliseconds(500)));
  EXPECT_EQ(clock.Now() - start, absl::Seconds(2));
}

TEST(TokenBucketTest, RefillsNoFurtherThanTheBurst) {
  FakeClock clock(Mode::kInstant);
  TokenBucket bucket({/*requests_per_second=*/1, /*burst=*/3}, clock);
  for (int i = 0; i < 3; ++i) bucket.Acquire(RequestPriority::kBackfill);
  clock.Advance(absl::Hours(1));
  for (int i = 0; i < 3; ++i) bucket.Acquire(RequestPriority::kBackfill);
  EXPECT_TRUE(clock.sleeps().empty());
  bucket.Acquire(RequestPriority::kBackfill);
  EXPECT_EQ(clock.sleeps(), std::vector<absl::Duration>{absl::Seconds(1)});
}

TEST(TokenBucketTest, PauseEmptiesTheBucketUntilItEnds) {
  FakeClock clock(Mode::kInstant);
  TokenBucket bucket({/*requests_per_second=*/4, /*burst=*/4}, clock);
  bucket.PauseFor(absl::Seconds(20));
  bucket.PauseFor(absl::Seconds(5));  // does not shorten the first pause
  bucket.Acquire(RequestPriority::kLive);
  EXPECT_EQ(clock.sleeps(),
            std::vector<absl::Duration>{absl::Milliseconds(20250)});
}

// Acquires `count` tokens and says how many of them had to wait.
int AcquireCountingWaits(TokenBucket& bucket, FakeClock& clock, int count) {
  const size_t before = clock.sleeps().size();
  for (int i = 0; i < count; ++i) bucket.Acquire(RequestPriority::kBackfill);
  return static_cast<int>(clock.sleeps().size() - before);
}

TEST(TokenBucketTest, SpendsWhatTheServerSaysIsLeftThenWaitsForItsReset) {
  FakeClock clock(Mode::kInstant);
  const absl::Time start = clock.Now();
  TokenBucket bucket({/*requests_per_second=*/16, /*burst=*/16}, clock);
  bucket.Acquire(RequestPriority::kBackfill);
  bucket.Answered(RateLimitWindow{500, absl::Seconds(60)});
  // 500 at once, far beyond the steady burst of 16 ...
  EXPECT_EQ(AcquireCountingWaits(bucket, clock, 500), 0);
  // ... and never more: the 501st waits for the window's reset.
  bucket.Acquire(RequestPriority::kBackfill);
  EXPECT_EQ(clock.sleeps(), std::vector<absl::Duration>{absl::Seconds(60)});
  EXPECT_EQ(clock.Now() - start, absl::Seconds(60));
}

// Five granted, then the first answer says `ten_left`: the 4 others still
// in flight may not have been counted yet, so only 6 more are granted at
// once, and the next waits `then`.
void ExpectRequestsInFlightCounted(const ServerRateLimit& ten_left,
                                   absl::Duration then) {
  FakeClock clock(Mode::kInstant);
  TokenBucket bucket({/*requests_per_second=*/1, /*burst=*/5}, clock);
  EXPECT_EQ(AcquireCountingWaits(bucket, clock, 5), 0);
  bucket.Answered(ten_left);
  EXPECT_EQ(AcquireCountingWaits(bucket, clock, 6), 0);
  bucket.Acquire(RequestPriority::kBackfill);
  EXPECT_EQ(clock.sleeps(), std::vector<absl::Duration>{then});
}

// Two granted, then the answers `four_left` and, made earlier but arriving
// later, `fifty_left`: only 3 more (4 - 1 in flight) at once, and the next
// waits `then`.
void ExpectALaterAnswerNeverRaisesTheAllowance(
    const ServerRateLimit& four_left, const ServerRateLimit& fifty_left,
    absl::Duration then) {
  FakeClock clock(Mode::kInstant);
  TokenBucket bucket({/*requests_per_second=*/1, /*burst=*/2}, clock);
  EXPECT_EQ(AcquireCountingWaits(bucket, clock, 2), 0);
  bucket.Answered(four_left);
  bucket.Answered(fifty_left);
  EXPECT_EQ(AcquireCountingWaits(bucket, clock, 3), 0);
  bucket.Acquire(RequestPriority::kBackfill);
  EXPECT_EQ(clock.sleeps(), std::vector<absl::Duration>{then});
}

TEST(TokenBucketTest, RequestsInFlightCountAgainstTheServersRemaining) {
  // The rest waits for the window's reset.
  ExpectRequestsInFlightCounted(RateLimitWindow{10, absl::Seconds(30)},
                                absl::Seconds(30));
}

TEST(TokenBucketTest, ALaterAnswerNeverRaisesTheAllowanceWithinAWindow) {
  ExpectALaterAnswerNeverRaisesTheAllowance(
      RateLimitWindow{4, absl::Seconds(30)},
      RateLimitWindow{50, absl::Seconds(30)}, absl::Seconds(30));
}

TEST(TokenBucketTest, AfterTheResetTheNextAnswerOpensANewWindow) {
  FakeClock clock(Mode::kInstant);
  TokenBucket bucket({/*requests_per_second=*/1, /*burst=*/1}, clock);
  bucket.Acquire(RequestPriority::kBackfill);
  bucket.Answered(RateLimitWindow{0, absl::Seconds(10)});
  bucket.Acquire(RequestPriority::kBackfill);  // waits out the window
  bucket.Answered(RateLimitWindow{300, absl::Seconds(60)});
  EXPECT_EQ(AcquireCountingWaits(bucket, clock, 300), 0);
  EXPECT_EQ(clock.sleeps(), std::vector<absl::Duration>{absl::Seconds(10)});
}

TEST(TokenBucketTest, AnswersWithoutAWindowKeepTheSteadyPace) {
  FakeClock clock(Mode::kInstant);
  TokenBucket bucket({/*requests_per_second=*/2, /*burst=*/2}, clock);
  for (int i = 0; i < 4; ++i) {
    bucket.Acquire(RequestPriority::kLive);
    bucket.Answered(std::nullopt);
  }
  EXPECT_EQ(clock.sleeps(),
            std::vector<absl::Duration>(2, absl::Milliseconds(500)));
}

TEST(TokenBucketTest, PauseClosesAKnownWindowUntilThePauseEnds) {
  FakeClock clock(Mode::kInstant);
  TokenBucket bucket({/*requests_per_second=*/4, /*burst=*/4}, clock);
  bucket.Acquire(RequestPriority::kLive);
  bucket.Answered(RateLimitWindow{500, absl::Seconds(5)});
  bucket.PauseFor(absl::Seconds(20));
  bucket.Acquire(RequestPriority::kLive);
  // The pause, then one fresh token from the emptied steady bucket.
  EXPECT_EQ(clock.sleeps(), (std::vector<absl::Duration>{
                                absl::Seconds(20), absl::Milliseconds(250)}));
}

// Jira Data Center's bucket as an answer reports it.
RateLimitBucket JiraDc(int remaining, int capacity, double per_second) {
  return RateLimitBucket{remaining, capacity, per_second};
}

TEST(TokenBucketTest, BackfillSpendsJiraDcBucketThenPacesAtItsRefill) {
  FakeClock clock(Mode::kInstant);
  const absl::Time start = clock.Now();
  // Jira DC: 100 tokens, 10 more a second; the configured budget is slower.
  JiraDcRateLimit jira(clock, /*capacity=*/100, /*fill_rate=*/10,
                       /*interval=*/absl::Seconds(1));
  TokenBucket bucket({/*requests_per_second=*/1, /*burst=*/1}, clock);
  for (int i = 0; i < 300; ++i) {
    bucket.Acquire(RequestPriority::kBackfill);
    bucket.Answered(ServerRateLimitOf(jira.Take().headers));
  }
  EXPECT_EQ(jira.refused(), 0);  // remaining never overdrawn
  // 100 at once, then 200 at 10 a second: 20 s, not 300 at 1 a second nor
  // waits for a whole bucket's refill.
  EXPECT_GE(clock.Now() - start, absl::Seconds(20));
  EXPECT_LT(clock.Now() - start, absl::Seconds(20.01));
  const std::vector<absl::Duration> waits = clock.sleeps();
  ASSERT_FALSE(waits.empty());
  EXPECT_LE(*std::max_element(waits.begin(), waits.end()),
            absl::Milliseconds(100.001));
}

TEST(TokenBucketTest, RequestsInFlightCountAgainstJiraDcRemaining) {
  // The rest comes at the server's refill, one a second.
  ExpectRequestsInFlightCounted(JiraDc(10, 100, 1), absl::Seconds(1));
}

TEST(TokenBucketTest, ALaterJiraDcAnswerNeverRaisesTheAllowance) {
  ExpectALaterAnswerNeverRaisesTheAllowance(
      JiraDc(4, 100, 2), JiraDc(50, 100, 2), absl::Milliseconds(500));
}

TEST(TokenBucketTest, JiraDcRateAndCapacityFollowTheLatestAnswer) {
  FakeClock clock(Mode::kInstant);
  TokenBucket bucket({/*requests_per_second=*/100, /*burst=*/1}, clock);
  bucket.Acquire(RequestPriority::kBackfill);
  bucket.Answered(JiraDc(0, 100, 10));
  bucket.Acquire(RequestPriority::kBackfill);  // 0.1 s at 10 a second
  bucket.Answered(JiraDc(0, 3, 0.5));          // the admin slowed it down
  clock.Advance(absl::Hours(1));               // refills to 3, not 100
  EXPECT_EQ(AcquireCountingWaits(bucket, clock, 3), 0);
  bucket.Acquire(RequestPriority::kBackfill);
  EXPECT_EQ(clock.sleeps(), (std::vector<absl::Duration>{
                                absl::Milliseconds(100), absl::Seconds(2)}));
}

TEST(TokenBucketTest, PauseEmptiesTheCopyOfJiraDcBucket) {
  FakeClock clock(Mode::kInstant);
  TokenBucket bucket({/*requests_per_second=*/100, /*burst=*/100}, clock);
  bucket.Acquire(RequestPriority::kLive);
  bucket.Answered(JiraDc(500, 500, 4));
  bucket.PauseFor(absl::Seconds(20));
  bucket.Acquire(RequestPriority::kLive);
  // The pause, then one token of the server's refill (not the steady 100/s).
  EXPECT_EQ(clock.sleeps(),
            std::vector<absl::Duration>{absl::Milliseconds(20250)});
}

// Records the order in which callers got their token.
class GrantLog {
 public:
  void Add(std::string who) {
    absl::MutexLock lock(&mu_);
    order_.push_back(std::move(who));
  }
  std::vector<std::string> order() {
    absl::MutexLock lock(&mu_);
    return order_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> order_ ABSL_GUARDED_BY(mu_);
};

// With `bucket` (1 token a second) empty until one second from now: a
// backfill caller waits first, a live one arrives later, and the live one
// gets the next token.
void ExpectLiveGoesFirst(TokenBucket& bucket, FakeClock& clock) {
  GrantLog log;
  std::thread backfill([&] {
    bucket.Acquire(RequestPriority::kBackfill);
    log.Add("backfill");
  });
  clock.AwaitSleepers(1);  // backfill is waiting for the next token
  std::thread live([&] {
    bucket.Acquire(RequestPriority::kLive);
    log.Add("live");
  });
  clock.AwaitSleepers(2);  // both wait for the same token

  clock.Advance(absl::Seconds(1));  // one token appears
  live.join();
  clock.AwaitSleepers(1);  // backfill waits again, for the one after
  EXPECT_EQ(log.order(), std::vector<std::string>{"live"});

  clock.Advance(absl::Seconds(1));
  backfill.join();
  EXPECT_EQ(log.order(), (std::vector<std::string>{"live", "backfill"}));
}

TEST(TokenBucketTest, LiveGoesAheadOfBackfillThatWaitedLonger) {
  FakeClock clock(Mode::kManual);
  TokenBucket bucket({/*requests_per_second=*/1, /*burst=*/1}, clock);
  bucket.Acquire(RequestPriority::kLive);  // empty the bucket
  ExpectLiveGoesFirst(bucket, clock);
}

TEST(TokenBucketTest, LiveGoesAheadOfBackfillWhenTheServersWindowReopens) {
  FakeClock clock(Mode::kManual);
  TokenBucket bucket({/*requests_per_second=*/1, /*burst=*/1}, clock);
  bucket.Acquire(RequestPriority::kLive);
  bucket.Answered(RateLimitWindow{0, absl::Seconds(1)});  // spent until reset
  ExpectLiveGoesFirst(bucket, clock);
}

TEST(TokenBucketTest, LiveGoesAheadOfBackfillOnJiraDcRefill) {
  FakeClock clock(Mode::kManual);
  TokenBucket bucket({/*requests_per_second=*/100, /*burst=*/1}, clock);
  bucket.Acquire(RequestPriority::kLive);
  bucket.Answered(JiraDc(0, 10, 1));  // empty, one token a second
  ExpectLiveGoesFirst(bucket, clock);
}

}  // namespace
}  // namespace ferry::http
