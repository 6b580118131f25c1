#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/connector/connector.h"
#include "engine/state/state_store.h"
#include "proto/stages.grpc.pb.h"

namespace ferry::engine {

// The reader stage for one partition (integration, system, project): polls
// the connector's ChangeReader, pushes ChangeBatches to a Transformer over
// one stream within the credit the stream grants, and advances the durable
// checkpoint over the contiguous prefix of acknowledged batches (parked
// failures count as acknowledged: the failure queue holds them). The
// checkpoint is written outside the reader's lock, one write at a time in
// the order it advances, so it never moves past an unacknowledged batch
// nor back to an older position than one already saved (a rewind for a
// backfill aside, which moves it back on purpose).
//
// What is read but not acknowledged is read again after a crash or a lost
// stream, from the checkpoint; the writer makes repeats harmless. At most
// `batch_size` × the granted window of changes is held in memory, however
// long the backlog.
//
// Runs its own thread between Start() and Stop(); the other methods are
// thread-safe.
class PartitionReader {
 public:
  struct Options {
    int batch_size = 100;
    absl::Duration poll_interval = absl::Seconds(60);
    // Wait before reconnecting a broken stream or polling after an error.
    absl::Duration retry_wait = absl::Seconds(1);
    // Where to start when there is no checkpoint; unset means from the
    // beginning of the system's changes. Its time is also the floor of
    // what syncs: changes of entities created before it are marked
    // (start_floor.h), so the writer creates no counterpart for them.
    std::optional<ferry::v1::SourcePosition> start;
    bool paused = false;
    // How a checkpoint is made durable; unset writes it to the state
    // store. Called from one thread at a time, in the order the checkpoint
    // advances, with no lock held (a slow write delays no ack or status).
    std::function<absl::Status(const PartitionKey&,
                               const ferry::v1::SourcePosition&)>
        save_checkpoint;
  };

  // What the reader reports for status and metrics.
  struct Status {
    std::optional<ferry::v1::SourcePosition> checkpoint;
    absl::Time last_poll = absl::InfinitePast();
    std::string last_error;
    int64_t changes_read = 0;
    int64_t batches_in_flight = 0;
    int64_t changes_in_flight = 0;
    bool paused = false;
    // Where the reader has read up to (ahead of the checkpoint).
    std::optional<ferry::v1::SourcePosition> read_position;
  };

  PartitionReader(PartitionKey partition, std::unique_ptr<ChangeReader> reader,
                  StateStore* store,
                  ferry::v1::Transformer::StubInterface* transformer,
                  Options options);
  ~PartitionReader();  // Stops.

  void Start();
  // Ends the thread; batches in flight stay unacknowledged and are read
  // again next time.
  void Stop();

  // Polls now instead of waiting for the interval.
  void SyncNow();
  void Pause();
  void Resume();
  // Reads again from `since` (a backfill); the checkpoint follows as the
  // re-read batches are acknowledged, so a crash resumes the backfill. An
  // earlier `since` than the start also lowers the floor of what syncs to
  // it, until the reader is made again (a restart or reload).
  void Rewind(const ferry::v1::SourcePosition& since);

  Status GetStatus() const;
  const PartitionKey& partition() const { return partition_; }

 private:
  struct InFlight {
    uint64_t batch_id;  // 0 for a position the reader skipped to.
    ferry::v1::SourcePosition position;
    bool done;
    int64_t changes;
  };

  void Run();
  // One stream's life; returns when it breaks or Stop() is called.
  void Session();
  void OnAck(const ferry::v1::BatchAck& ack) ABSL_LOCKS_EXCLUDED(mu_);
  // Pops done entries from the front; the newest position popped is the
  // next checkpoint to save.
  void AdvanceCheckpoint() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Saves the next checkpoint, and any newer one left meanwhile, outside
  // the lock; returns at once when another thread is saving (that thread
  // saves what this one left), so saves never overlap or reorder.
  void SaveCheckpoints() ABSL_LOCKS_EXCLUDED(mu_);
  // Waits until `ready` or stop or a broken stream; false if not ready.
  bool WaitFor(bool (PartitionReader::*ready)() const, absl::Duration timeout);
  bool HasCredit() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  bool Woken() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  bool Unpaused() const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const PartitionKey partition_;
  const std::unique_ptr<ChangeReader> reader_;
  StateStore* const store_;
  ferry::v1::Transformer::StubInterface* const transformer_;
  const Options options_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool paused_ ABSL_GUARDED_BY(mu_) = false;
  int64_t credits_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_batch_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<InFlight> in_flight_ ABSL_GUARDED_BY(mu_);
  // The last checkpoint saved; the next one to save; whether a thread is
  // saving one now.
  std::optional<ferry::v1::SourcePosition> checkpoint_ ABSL_GUARDED_BY(mu_);
  std::optional<ferry::v1::SourcePosition> to_save_ ABSL_GUARDED_BY(mu_);
  bool saving_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<ferry::v1::SourcePosition> rewind_ ABSL_GUARDED_BY(mu_);
  // Entities created before it are marked; from options_.start, lowered by
  // a rewind.
  absl::Time floor_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  Status status_ ABSL_GUARDED_BY(mu_);
  grpc::ClientContext* session_context_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::thread thread_;
};

}  // namespace ferry::engine
