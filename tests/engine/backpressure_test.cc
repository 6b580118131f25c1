// Backpressure through the whole embedded pipeline: a writer that stalls
// keeps the reader's reads, and so its memory, bounded by the writer's
// window, however long the stall; once the writer moves, so does the rest.
#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "engine/runtime/pipeline.h"
#include "gtest/gtest.h"
#include "tools/bench/pipeline/null_connector.h"

namespace ferry::engine {
namespace {

constexpr int kBatch = 10;
constexpr int kWindow = 2;

using ::ferry::bench::NullCounters;

// More changes than the test can read: an endless source.
constexpr int64_t kSupply = 1'000'000'000;

// How many changes the blackhole source has handed out.
int64_t Produced() { return kSupply - NullCounters::remaining.load(); }

int64_t WaitUntil(const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!done() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  return Produced();
}

TEST(BackpressureTest, AStalledWriterKeepsWhatTheReaderHoldsBounded) {
  absl::Notification release;
  NullCounters::hold_creates = &release;
  NullCounters::remaining = kSupply;
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/backpressure";
  std::filesystem::remove_all(dir);
  auto config = bench::BlackholeConfig("i");
  ASSERT_TRUE(config.ok()) << config.status();
  EmbeddedPipeline::Options options;
  options.state_dir = dir;
  options.batch_size = kBatch;
  options.window = kWindow;
  auto pipeline = EmbeddedPipeline::Create(*config, options);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  (*pipeline)->Start();
  PartitionReader* reader = (*pipeline)->Readers("i").front();

  // The writer's window fills, then nothing more is read.
  WaitUntil([&] { return reader->GetStatus().batches_in_flight >= kWindow; });
  const int64_t stalled_at = Produced();
  // A reader that ignored the window would read on meanwhile.
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(Produced(), stalled_at);
  EXPECT_LE(stalled_at, kWindow * kBatch);
  EXPECT_LE(reader->GetStatus().changes_in_flight, kWindow * kBatch);
  EXPECT_EQ(NullCounters::created.load(), 0);

  // The writer moves: so does everything.
  release.Notify();
  const int64_t moved = WaitUntil([&] { return NullCounters::created.load() > 5 * kWindow * kBatch; });
  EXPECT_GT(moved, 5 * kWindow * kBatch);
  EXPECT_LE(reader->GetStatus().changes_in_flight, kWindow * kBatch);
  pipeline->reset();
}

}  // namespace
}  // namespace ferry::engine
