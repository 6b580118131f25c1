#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/runtime/pipeline_view.h"
#include "engine/runtime/stages.h"
#include "engine/stages/transformer_service.h"
#include "grpcpp/server.h"
#include "proto/config.pb.h"

namespace ferry::engine {

// Every stage of a config in one process (the embedded default; see
// docs/architecture.md, "One process or one per stage"): one StateStore, the Transformer and Writer services on one
// gRPC server reached through in-process channels, and one PartitionReader
// per (integration, system, project) read.
//
// Thread-safe after Start(); destroying it stops everything in order
// (readers, then the server).
class EmbeddedPipeline final : public PipelineView {
 public:
  struct Options {
    std::string state_dir;
    int batch_size = 100;
    int window = 8;
    bool sync_writes = false;
    // Told of every HTTP exchange of every connector; may be null. Must
    // outlive the pipeline.
    ferry::http::HttpObserver* http_observer = nullptr;
  };

  // Builds everything from a validated config: connectors from the
  // registry (secrets resolved), plans, writers, readers. Fails naming the
  // system or integration that cannot start.
  static absl::StatusOr<std::unique_ptr<EmbeddedPipeline>> Create(
      const ferry::v1::FerryConfig& config, const Options& options);
  ~EmbeddedPipeline() override;

  // Starts every reader.
  void Start();

  // PipelineView: every part is here.
  std::string stage() const override { return "embedded"; }
  const std::map<std::string, std::shared_ptr<const IntegrationPlan>>& plans()
      const override {
    return plans_;
  }
  bool runs_readers() const override { return true; }
  std::vector<PartitionReader*> Readers(const std::string& integration) override {
    return readers_->Readers(integration);
  }
  WriterService* writer_service() override { return &writer_->service(); }
  StateStore* store() override { return store_.get(); }
  Connector* connector(const std::string& system) override;

 private:
  EmbeddedPipeline() = default;

  // Destroyed in reverse: readers stop first, the store closes last.
  ConnectorServices connector_services_;
  std::unique_ptr<StateStore> store_;
  std::map<std::string, std::unique_ptr<Connector>> connectors_;
  std::map<std::string, std::shared_ptr<const IntegrationPlan>> plans_;
  std::unique_ptr<WriterStage> writer_;
  std::unique_ptr<TransformerService> transformer_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ferry::v1::Writer::Stub> writer_stub_;
  std::unique_ptr<ferry::v1::Transformer::Stub> transformer_stub_;
  std::unique_ptr<ReaderStage> readers_;
};

}  // namespace ferry::engine
