#pragma once

#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "engine/writer/change_applier.h"
#include "proto/stages.grpc.pb.h"

namespace ferry::engine {

// The Writer stage as a gRPC service: applies WriteBatches with the
// ChangeApplier of their integration and acknowledges each batch once every
// outcome is durable. Grants `window` batches of credit when a stream
// opens and one more with every ack, so no sender has more than `window`
// batches waiting here.
//
// Each integration's changes are applied by one thread at a time (a mutex
// per integration), in the order their streams deliver them. A background
// thread retries due failures every `retry_every`. A state-store error
// ends the stream with INTERNAL and no ack: the sender delivers the batch
// again (repeats are harmless).
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

  // Runs `action` with exclusive use of an integration's applier (for the
  // control API's reprocess and skip). NOT_FOUND for an unknown one.
  absl::Status WithApplier(const std::string& integration,
                           const std::function<absl::Status(ChangeApplier&)>& action);

 private:
  struct Slot {
    absl::Mutex mu;
    ChangeApplier* applier ABSL_GUARDED_BY(mu);
  };

  void RetryLoop();

  Options options_;
  std::map<std::string, std::unique_ptr<Slot>> slots_;
  absl::Notification stopping_;
  std::thread retry_thread_;
};

}  // namespace ferry::engine
