#include "http/token_bucket.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "http/testing/fake_clock.h"
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

TEST(TokenBucketTest, LiveGoesAheadOfBackfillThatWaitedLonger) {
  FakeClock clock(Mode::kManual);
  TokenBucket bucket({/*requests_per_second=*/1, /*burst=*/1}, clock);
  bucket.Acquire(RequestPriority::kLive);  // empty the bucket
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

}  // namespace
}  // namespace ferry::http
