#include "engine/stages/writer_service.h"

#include "absl/strings/str_cat.h"

namespace ferry::engine {

WriterService::WriterService(std::map<std::string, ChangeApplier*> appliers,
                             Options options)
    : window_(options.window) {
  for (auto& [name, applier] : appliers) {
    workers_.emplace(name, std::make_unique<ApplierWorker>(name, applier,
                                                           options.retry_every));
  }
}

WriterService::~WriterService() = default;

grpc::Status WriterService::Write(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<ferry::v1::BatchAck, ferry::v1::WriteBatch>*
        stream) {
  ferry::v1::BatchAck grant;
  grant.set_credits(window_);
  if (!stream->Write(grant)) return grpc::Status::CANCELLED;

  ferry::v1::WriteBatch batch;
  while (stream->Read(&batch)) {
    auto worker = workers_.find(batch.integration());
    if (worker == workers_.end()) {
      return grpc::Status(
          grpc::StatusCode::NOT_FOUND,
          absl::StrCat("this writer does not own integration '",
                       batch.integration(), "'"));
    }
    ferry::v1::BatchAck ack;
    ack.set_batch_id(batch.batch_id());
    ack.set_credits(1);
    // One state write per batch: its links go down before its ack.
    absl::Status applied = worker->second->Run([&](ChangeApplier& applier) {
      if (absl::Status begun = applier.BeginBatch(batch); !begun.ok()) {
        return begun;
      }
      for (const auto& intent : batch.writes()) {
        auto outcome = applier.Apply(intent);
        if (!outcome.ok()) {
          (void)applier.CommitBatch();  // Keep what was done; redelivery repeats the rest.
          return outcome.status();
        }
        *ack.add_outcomes() = *std::move(outcome);
      }
      return applier.CommitBatch();
    });
    if (!applied.ok()) {
      return grpc::Status(grpc::StatusCode::INTERNAL, std::string(applied.message()));
    }
    if (!stream->Write(ack)) return grpc::Status::CANCELLED;
  }
  return grpc::Status::OK;
}

absl::Status WriterService::WithApplier(
    const std::string& integration,
    const std::function<absl::Status(ChangeApplier&)>& action) {
  auto worker = workers_.find(integration);
  if (worker == workers_.end()) {
    return absl::NotFoundError(
        absl::StrCat("no integration named '", integration, "'"));
  }
  return worker->second->Run(action);
}

int WriterService::Waiting(const std::string& integration) const {
  auto worker = workers_.find(integration);
  return worker == workers_.end() ? 0 : worker->second->waiting();
}

}  // namespace ferry::engine
