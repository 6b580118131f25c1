#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "engine/pipeline/integration_plan.h"
#include "proto/stages.grpc.pb.h"

namespace ferry::engine {

// The stream metadata key a reader names its integration with, so the
// transformer can open the stream to the writer shard that owns it before
// the first batch arrives.
inline constexpr char kIntegrationMetadata[] = "ferry-integration";

// The Transformer stage as a gRPC service: maps each ChangeBatch into a
// WriteBatch with the integration's mapper (pure: no state, no I/O beyond
// the streams) and forwards it to the writer that owns the integration,
// relaying the writer's acks and credits back unchanged. So the reader's
// window is the writer's window, end to end, and a slow writer slows the
// reader.
//
// A change the mapper cannot map is forwarded with WriteIntent.
// mapping_error set, for the writer to park. Thread-safe; each stream uses
// two threads (its own, and one relaying acks).
class TransformerService final : public ferry::v1::Transformer::Service {
 public:
  // Picks the writer for an integration (the shard that owns it).
  using WriterPicker =
      std::function<ferry::v1::Writer::StubInterface*(const std::string&)>;

  TransformerService(
      std::map<std::string, std::shared_ptr<const IntegrationPlan>> plans,
      WriterPicker writers);

  grpc::Status Transform(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<ferry::v1::BatchAck, ferry::v1::ChangeBatch>*
          stream) override;

  // Maps one batch; exposed for tests and for `ferryctl mapping preview`.
  static ferry::v1::WriteBatch Map(const IntegrationPlan& plan,
                                   const ferry::v1::ChangeBatch& batch);

 private:
  std::map<std::string, std::shared_ptr<const IntegrationPlan>> plans_;
  WriterPicker writers_;
};

}  // namespace ferry::engine
