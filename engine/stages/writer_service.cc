#include "engine/stages/writer_service.h"

#include "absl/strings/str_cat.h"
#include "engine/common/log.h"

namespace ferry::engine {

WriterService::WriterService(std::map<std::string, ChangeApplier*> appliers,
                             Options options)
    : options_(options) {
  for (auto& [name, applier] : appliers) {
    auto slot = std::make_unique<Slot>();
    absl::MutexLock lock(&slot->mu);
    slot->applier = applier;
    slots_.emplace(name, std::move(slot));
  }
  retry_thread_ = std::thread([this] { RetryLoop(); });
}

WriterService::~WriterService() {
  stopping_.Notify();
  retry_thread_.join();
}

grpc::Status WriterService::Write(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<ferry::v1::BatchAck, ferry::v1::WriteBatch>*
        stream) {
  ferry::v1::BatchAck grant;
  grant.set_credits(options_.window);
  if (!stream->Write(grant)) return grpc::Status::CANCELLED;

  ferry::v1::WriteBatch batch;
  while (stream->Read(&batch)) {
    auto slot = slots_.find(batch.integration());
    if (slot == slots_.end()) {
      return grpc::Status(
          grpc::StatusCode::NOT_FOUND,
          absl::StrCat("this writer does not own integration '",
                       batch.integration(), "'"));
    }
    ferry::v1::BatchAck ack;
    ack.set_batch_id(batch.batch_id());
    ack.set_credits(1);
    {
      // One state write per batch: its links go down with its ack.
      absl::MutexLock lock(&slot->second->mu);
      ChangeApplier& applier = *slot->second->applier;
      if (absl::Status begun = applier.BeginBatch(batch); !begun.ok()) {
        return grpc::Status(grpc::StatusCode::INTERNAL, std::string(begun.message()));
      }
      for (const auto& intent : batch.writes()) {
        auto outcome = applier.Apply(intent);
        if (!outcome.ok()) {
          (void)applier.CommitBatch();  // Keep what was done; redelivery repeats the rest.
          return grpc::Status(grpc::StatusCode::INTERNAL,
                              std::string(outcome.status().message()));
        }
        *ack.add_outcomes() = *std::move(outcome);
      }
      if (absl::Status committed = applier.CommitBatch(); !committed.ok()) {
        return grpc::Status(grpc::StatusCode::INTERNAL,
                            std::string(committed.message()));
      }
    }
    if (!stream->Write(ack)) return grpc::Status::CANCELLED;
  }
  return grpc::Status::OK;
}

absl::Status WriterService::WithApplier(
    const std::string& integration,
    const std::function<absl::Status(ChangeApplier&)>& action) {
  auto slot = slots_.find(integration);
  if (slot == slots_.end()) {
    return absl::NotFoundError(
        absl::StrCat("no integration named '", integration, "'"));
  }
  absl::MutexLock lock(&slot->second->mu);
  return action(*slot->second->applier);
}

void WriterService::RetryLoop() {
  while (!stopping_.WaitForNotificationWithTimeout(options_.retry_every)) {
    for (auto& [name, slot] : slots_) {
      absl::MutexLock lock(&slot->mu);
      auto retried = slot->applier->RetryDue();
      if (!retried.ok()) {
        // The state store's error; the next round tries again.
        log::Error("writer.retry_failed", {{"integration", name},
                                           {"error", retried.status().message()}});
      }
    }
  }
}

}  // namespace ferry::engine
