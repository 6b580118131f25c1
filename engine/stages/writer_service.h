#pragma once

#include <map>
#include <memory>
#include <string>
#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "engine/stages/applier_worker.h"
#include "engine/writer/change_applier.h"
#include "proto/stages.grpc.pb.h"

namespace ferry::engine {

// The Writer stage as a gRPC service: applies WriteBatches with the
// ChangeApplier of their integration and acknowledges each batch once every
// outcome is durable. Grants `window` batches of credit when a stream
// opens and one more with every ack, so no sender has more than `window`
// batches waiting here.
//
// Each integration's applier is used by one thread, its ApplierWorker: a
// stream hands it each batch and waits for the outcomes, and the worker
// retries due failures every `retry_every` between batches. So no lock is
// held across an end-system call or a state write on a stream's path. A
// state-store error ends the stream with INTERNAL and no ack: the sender
// delivers the batch again (repeats are harmless).
//
// Thread-safe.
class WriterService final : public ferry::v1::Writer::Service {
 public:
  struct Options {
    int window = 8;
    absl::Duration retry_every = absl::Seconds(1);
  };

  // `appliers` by integration name; they must outlive the service.
  WriterService(std::map<std::string, ChangeApplier*> appliers,
                Options options);
  ~WriterService() override;

  grpc::Status Write(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<ferry::v1::BatchAck, ferry::v1::WriteBatch>*
          stream) override;

  // Runs `action` on an integration's applier, on its worker, between
  // batches (for the control API's status, reprocess and skip), and
  // returns its status. NOT_FOUND for an unknown integration.
  absl::Status WithApplier(const std::string& integration,
                           const std::function<absl::Status(ChangeApplier&)>& action);

  // The batches and control calls waiting for an integration's applier
  // (0 for an unknown integration): how far its end systems are behind.
  int Waiting(const std::string& integration) const;

 private:
  // By integration name.
  std::map<std::string, std::unique_ptr<ApplierWorker>> workers_;
  const int window_;
};

}  // namespace ferry::engine
