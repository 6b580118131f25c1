#include "engine/stages/partition_reader.h"

#include <atomic>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
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

// An endless source whose every page ends past an echo it skipped: the
// page's changes need acks, the skipped position only its turn.
class EchoingReader : public EndlessReader {
 public:
  absl::StatusOr<ChangePage> ReadChanges(
      const std::optional<ferry::v1::SourcePosition>& after,
      int max_changes) override {
    auto page = EndlessReader::ReadChanges(after, max_changes);
    if (page.ok() && !page->changes.empty()) {
      // Sorts after the page's last change and before the next one.
      page->scanned_to = page->changes.back().position();
      page->scanned_to->set_tie_breaker(page->scanned_to->tie_breaker() + "~");
    }
    return page;
  }
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
    std::unique_ptr<EndlessReader> source =
        echoes_ ? std::make_unique<EchoingReader>() : std::make_unique<EndlessReader>();
    source_ = source.get();
    PartitionReader::Options options;
    options.batch_size = kBatch;
    options.poll_interval = absl::Milliseconds(10);
    options.save_checkpoint = save_checkpoint_;
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

  // Set by a test's fixture before SetUp: the source's kind and how
  // checkpoints are saved (unset: to the store).
  bool echoes_ = false;
  std::function<absl::Status(const PartitionKey&, const ferry::v1::SourcePosition&)>
      save_checkpoint_;

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

// Checkpoint saves that record what they save, write it to the store, and
// can be held until the test lets them go.
class SavedCheckpointsTest : public PartitionReaderTest {
 protected:
  void SetUp() override {
    save_checkpoint_ = [this](const PartitionKey& partition,
                              const ferry::v1::SourcePosition& position) {
      {
        absl::MutexLock lock(&mu_);
        saved_.push_back(position.tie_breaker());
        ++saving_;
        mu_.Await(absl::Condition(+[](bool* held) { return !*held; }, &held_));
        --saving_;
      }
      StateStore::Batch batch;
      batch.PutCheckpoint(partition, position);
      return store_->Write(std::move(batch));
    };
    PartitionReaderTest::SetUp();
  }

  void TearDown() override {
    Hold(false);
    PartitionReaderTest::TearDown();
  }

  void Hold(bool held) {
    absl::MutexLock lock(&mu_);
    held_ = held;
  }

  // Waits until a save is held; false when none was within 10 s.
  bool WaitHeldSave() {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(
        absl::Condition(+[](int* saving) { return *saving > 0; }, &saving_),
        absl::Seconds(10));
  }

  std::vector<std::string> Saved() {
    absl::MutexLock lock(&mu_);
    return saved_;
  }

  absl::Mutex mu_;
  bool held_ ABSL_GUARDED_BY(mu_) = false;
  int saving_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> saved_ ABSL_GUARDED_BY(mu_);
};

TEST_F(SavedCheckpointsTest, AHeldCheckpointWriteHoldsNoLockTheReaderNeeds) {
  WaitInFlight(kWindow);
  Hold(true);
  transformer_.Release(1);
  ASSERT_TRUE(WaitHeldSave());

  // While the write is held, the reader still answers and takes commands.
  absl::Notification answered;
  std::thread status([&] {
    reader_->GetStatus();
    reader_->SyncNow();
    answered.Notify();
  });
  const bool in_time = answered.WaitForNotificationWithTimeout(absl::Seconds(10));
  Hold(false);
  status.join();
  EXPECT_TRUE(in_time) << "GetStatus waited for a checkpoint write";

  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Checkpoint().empty() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(Checkpoint(), absl::StrFormat("%020d", kBatch));
  EXPECT_FALSE(reader_->GetStatus().checkpoint->tie_breaker().empty());
}

class EchoingSavedCheckpointsTest : public SavedCheckpointsTest {
 protected:
  void SetUp() override {
    echoes_ = true;
    SavedCheckpointsTest::SetUp();
  }
};

TEST_F(EchoingSavedCheckpointsTest, SavesFromBothThreadsNeverGoBack) {
  // Acks (the stream's thread) and skipped echoes (the reader's thread)
  // both advance the checkpoint; released as they come, in order.
  constexpr int kBatches = 40;
  for (int batch = 1; batch <= kBatches; ++batch) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (reader_->GetStatus().changes_read < batch * kBatch &&
           absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    transformer_.Release(batch);
  }
  const std::string last_acked = absl::StrFormat("%020d", kBatches * kBatch);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Checkpoint() < last_acked && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_GE(Checkpoint(), last_acked);

  const std::vector<std::string> saved = Saved();
  ASSERT_FALSE(saved.empty());
  for (size_t i = 1; i < saved.size(); ++i) {
    EXPECT_LT(saved[i - 1], saved[i]) << "save " << i << " went back";
  }
  EXPECT_EQ(reader_->GetStatus().checkpoint->tie_breaker(), saved.back());
}

}  // namespace
}  // namespace ferry::engine
