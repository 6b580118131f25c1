#include "engine/stages/partition_reader.h"

#include <atomic>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

// An endless source: every call returns `max_changes` new changes.
class EndlessReader : public ChangeReader {
 public:
  absl::StatusOr<ChangePage> ReadChanges(
      const std::optional<ferry::v1::SourcePosition>& after,
      int max_changes) override {
    ChangePage page;
    for (int i = 0; i < max_changes; ++i) {
      ferry::v1::ChangeEvent change;
      const int64_t n = ++produced;
      change.set_change_id(absl::StrFormat("c%d", n));
      change.mutable_position()->set_tie_breaker(absl::StrFormat("%020d", n));
      page.changes.push_back(std::move(change));
    }
    page.more = true;
    return page;
  }
  std::atomic<int64_t> produced{0};
};

// A transformer that grants `window` credits and acks only what the test
// releases, in the order it chooses.
class HeldTransformer final : public ferry::v1::Transformer::Service {
 public:
  explicit HeldTransformer(int window) : window_(window) {}

  grpc::Status Transform(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<ferry::v1::BatchAck, ferry::v1::ChangeBatch>* stream)
      override {
    ferry::v1::BatchAck grant;
    grant.set_credits(window_);
    stream->Write(grant);
    // Take every batch as it comes (as a real stage does); hold the acks.
    std::thread take([stream] {
      ferry::v1::ChangeBatch batch;
      while (stream->Read(&batch)) {
      }
    });
    while (!context->IsCancelled()) {
      {
        absl::MutexLock lock(&mu_);
        mu_.AwaitWithTimeout(absl::Condition(this, &HeldTransformer::HasRelease),
                             absl::Milliseconds(50));
        while (!release_.empty()) {
          ferry::v1::BatchAck ack;
          ack.set_batch_id(release_.front());
          ack.set_credits(1);
          release_.pop_front();
          stream->Write(ack);
        }
      }
    }
    take.join();
    return grpc::Status::OK;
  }

  void Release(uint64_t batch_id) {
    absl::MutexLock lock(&mu_);
    release_.push_back(batch_id);
  }

 private:
  bool HasRelease() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !release_.empty(); }

  const int window_;
  absl::Mutex mu_;
  std::deque<uint64_t> release_ ABSL_GUARDED_BY(mu_);
};

class PartitionReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir =
        std::string(std::getenv("TEST_TMPDIR")) + "/" +
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir);
    auto store = StateStore::Open(dir, StateStore::Options());
    ASSERT_TRUE(store.ok());
    store_ = *std::move(store);
    grpc::ServerBuilder builder;
    builder.RegisterService(&transformer_);
    server_ = builder.BuildAndStart();
    stub_ = ferry::v1::Transformer::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
    auto source = std::make_unique<EndlessReader>();
    source_ = source.get();
    PartitionReader::Options options;
    options.batch_size = kBatch;
    options.poll_interval = absl::Milliseconds(10);
    reader_ = std::make_unique<PartitionReader>(PartitionKey{"i", "src", "P"},
                                                std::move(source), store_.get(),
                                                stub_.get(), options);
    reader_->Start();
  }

  void TearDown() override {
    reader_.reset();
    server_->Shutdown(std::chrono::system_clock::now());
  }

  // Waits until the reader has `batches` in flight.
  void WaitInFlight(int64_t batches) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (reader_->GetStatus().batches_in_flight < batches &&
           absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(5));
    }
  }

  std::string Checkpoint() {
    auto checkpoint = store_->GetCheckpoint({"i", "src", "P"});
    EXPECT_TRUE(checkpoint.ok());
    return checkpoint->has_value() ? (*checkpoint)->tie_breaker() : "";
  }

  static constexpr int kWindow = 3;
  static constexpr int kBatch = 10;
  HeldTransformer transformer_{kWindow};
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ferry::v1::Transformer::Stub> stub_;
  EndlessReader* source_ = nullptr;
  std::unique_ptr<PartitionReader> reader_;
};

TEST_F(PartitionReaderTest, StalledWriterBoundsWhatIsRead) {
  WaitInFlight(kWindow);
  // However long the stall, nothing more is read than the window holds.
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(source_->produced.load(), kWindow * kBatch);
  EXPECT_EQ(reader_->GetStatus().batches_in_flight, kWindow);
  EXPECT_EQ(reader_->GetStatus().changes_in_flight, kWindow * kBatch);

  // One ack, one more batch.
  transformer_.Release(1);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (source_->produced.load() < (kWindow + 1) * kBatch && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(source_->produced.load(), (kWindow + 1) * kBatch);
}

TEST_F(PartitionReaderTest, CheckpointMovesOnlyOverTheAckedPrefix) {
  WaitInFlight(kWindow);
  transformer_.Release(2);  // Out of order: batch 1 is still in flight.
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(Checkpoint(), "");

  transformer_.Release(1);  // Now 1 and 2 are done: changes 1..20.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Checkpoint().empty() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(Checkpoint(), absl::StrFormat("%020d", 2 * kBatch));
}

}  // namespace
}  // namespace ferry::engine
