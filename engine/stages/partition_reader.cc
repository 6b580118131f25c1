#include "engine/stages/partition_reader.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/common/log.h"
#include "engine/common/proto_time.h"
#include "engine/stages/start_floor.h"
#include "engine/stages/transformer_service.h"

namespace ferry::engine {

PartitionReader::PartitionReader(
    PartitionKey partition, std::unique_ptr<ChangeReader> reader,
    StateStore* store, ferry::v1::Transformer::StubInterface* transformer,
    Options options)
    : partition_(std::move(partition)),
      reader_(std::move(reader)),
      store_(store),
      transformer_(transformer),
      options_(std::move(options)) {
  absl::MutexLock lock(&mu_);
  paused_ = options_.paused;
  if (options_.start.has_value() && options_.start->has_time()) {
    floor_ = FromProto(options_.start->time());
  }
}

PartitionReader::~PartitionReader() { Stop(); }

void PartitionReader::Start() {
  thread_ = std::thread([this] { Run(); });
}

void PartitionReader::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (session_context_ != nullptr) session_context_->TryCancel();
  }
  if (thread_.joinable()) thread_.join();
}

void PartitionReader::SyncNow() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

void PartitionReader::Pause() {
  absl::MutexLock lock(&mu_);
  paused_ = true;
}

void PartitionReader::Resume() {
  absl::MutexLock lock(&mu_);
  paused_ = false;
  wake_ = true;
}

void PartitionReader::Rewind(const ferry::v1::SourcePosition& since) {
  absl::MutexLock lock(&mu_);
  rewind_ = since;
  if (since.has_time()) floor_ = std::min(floor_, FromProto(since.time()));
  wake_ = true;
}

PartitionReader::Status PartitionReader::GetStatus() const {
  absl::MutexLock lock(&mu_);
  Status status = status_;
  status.checkpoint = checkpoint_;
  for (const InFlight& entry : in_flight_) {
    if (entry.batch_id == 0) continue;
    ++status.batches_in_flight;
    status.changes_in_flight += entry.changes;
  }
  status.paused = paused_;
  return status;
}

bool PartitionReader::HasCredit() const {
  return credits_ > 0 || stopping_ || broken_;
}
bool PartitionReader::Woken() const { return wake_ || stopping_ || broken_; }
bool PartitionReader::Unpaused() const {
  return !paused_ || stopping_ || broken_;
}

bool PartitionReader::WaitFor(bool (PartitionReader::*ready)() const,
                              absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(this, ready), timeout);
  return !stopping_ && !broken_ && (this->*ready)();
}

void PartitionReader::Run() {
  auto stored = store_->GetCheckpoint(partition_);
  {
    absl::MutexLock lock(&mu_);
    if (!stored.ok()) {
      status_.last_error = std::string(stored.status().message());
      return;  // Without its checkpoint the reader must not guess.
    }
    checkpoint_ = *stored;
  }
  while (true) {
    Session();
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.retry_wait);
    if (stopping_) return;
  }
}

void PartitionReader::Session() {
  grpc::ClientContext context;
  context.AddMetadata(kIntegrationMetadata, partition_.integration);
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    session_context_ = &context;
    broken_ = false;
    credits_ = 0;
    in_flight_.clear();
  }
  auto stream = transformer_->Transform(&context);
  std::thread acks([&] {
    ferry::v1::BatchAck ack;
    while (stream->Read(&ack)) OnAck(ack);
    absl::MutexLock lock(&mu_);
    broken_ = true;
  });

  std::optional<ferry::v1::SourcePosition> read_from;
  {
    absl::MutexLock lock(&mu_);
    read_from = checkpoint_.has_value() ? checkpoint_ : options_.start;
  }
  while (WaitFor(&PartitionReader::Unpaused, absl::InfiniteDuration()) &&
         WaitFor(&PartitionReader::HasCredit, absl::InfiniteDuration())) {
    int64_t credits;
    {
      absl::MutexLock lock(&mu_);
      wake_ = false;
      credits = credits_;
      if (rewind_.has_value()) {
        read_from = std::exchange(rewind_, std::nullopt);
      }
      status_.read_position = read_from;
    }
    // Read no more than the stream may carry now: memory stays bounded.
    auto page = reader_->ReadChanges(
        read_from, static_cast<int>(credits * options_.batch_size));
    {
      absl::MutexLock lock(&mu_);
      status_.last_poll = absl::Now();
      const std::string error =
          page.ok() ? "" : std::string(page.status().message());
      if (!error.empty() && error != status_.last_error) {
        log::Warn("reader.poll_failed", {{"integration", partition_.integration},
                                         {"system", partition_.system},
                                         {"project", partition_.project},
                                         {"error", error}});
      }
      status_.last_error = error;
    }
    if (!page.ok()) {
      WaitFor(&PartitionReader::Woken, options_.retry_wait);
      continue;
    }
    {
      absl::MutexLock lock(&mu_);
      MarkCreatedBeforeStart(floor_, page->changes);
    }
    log::Debug("reader.polled", {{"integration", partition_.integration},
                                 {"system", partition_.system},
                                 {"project", partition_.project},
                                 {"changes", page->changes.size()},
                                 {"more", page->more}});
    bool sent_all = true;
    for (size_t first = 0; first < page->changes.size();
         first += options_.batch_size) {
      if (!WaitFor(&PartitionReader::HasCredit, absl::InfiniteDuration())) {
        sent_all = false;
        break;
      }
      ferry::v1::ChangeBatch batch;
      batch.set_integration(partition_.integration);
      batch.set_source_system(partition_.system);
      batch.set_project(partition_.project);
      const size_t end = std::min(page->changes.size(),
                                  first + static_cast<size_t>(options_.batch_size));
      for (size_t i = first; i < end; ++i) {
        *batch.add_changes() = page->changes[i];
      }
      {
        absl::MutexLock lock(&mu_);
        batch.set_batch_id(++next_batch_id_);
        in_flight_.push_back({batch.batch_id(), page->changes[end - 1].position(),
                              false, static_cast<int64_t>(end - first)});
        --credits_;
        status_.changes_read += static_cast<int64_t>(end - first);
      }
      if (!stream->Write(batch)) {
        sent_all = false;
        break;
      }
      read_from = page->changes[end - 1].position();
    }
    if (!sent_all) break;
    if (page->scanned_to.has_value()) {
      // Skipped changes (echoes) need no ack, only their turn.
      read_from = page->scanned_to;
      {
        absl::MutexLock lock(&mu_);
        in_flight_.push_back({0, *page->scanned_to, true, 0});
        AdvanceCheckpoint();
      }
      SaveCheckpoints();
    }
    if (!page->more) {
      WaitFor(&PartitionReader::Woken, options_.poll_interval);
    }
  }
  stream->WritesDone();
  context.TryCancel();
  acks.join();
  (void)stream->Finish();
  absl::MutexLock lock(&mu_);
  session_context_ = nullptr;
}

void PartitionReader::OnAck(const ferry::v1::BatchAck& ack) {
  {
    absl::MutexLock lock(&mu_);
    credits_ += ack.credits();
    if (ack.batch_id() == 0) return;  // The initial grant.
    for (auto& entry : in_flight_) {
      if (entry.batch_id == ack.batch_id()) entry.done = true;
    }
    AdvanceCheckpoint();
  }
  SaveCheckpoints();
}

void PartitionReader::AdvanceCheckpoint() {
  while (!in_flight_.empty() && in_flight_.front().done) {
    to_save_ = in_flight_.front().position;
    in_flight_.pop_front();
  }
}

void PartitionReader::SaveCheckpoints() {
  mu_.Lock();
  if (saving_) {
    mu_.Unlock();
    return;
  }
  saving_ = true;
  while (to_save_.has_value()) {
    const ferry::v1::SourcePosition position = *std::exchange(to_save_, std::nullopt);
    mu_.Unlock();
    absl::Status written;
    if (options_.save_checkpoint) {
      written = options_.save_checkpoint(partition_, position);
    } else {
      StateStore::Batch batch;
      batch.PutCheckpoint(partition_, position);
      written = store_->Write(std::move(batch));
    }
    mu_.Lock();
    if (written.ok()) {
      checkpoint_ = position;
    } else {
      // Not fatal: the old checkpoint only means more repeats after a crash.
      status_.last_error = absl::StrCat("checkpoint not saved: ", written.message());
    }
  }
  saving_ = false;
  mu_.Unlock();
}

}  // namespace ferry::engine
