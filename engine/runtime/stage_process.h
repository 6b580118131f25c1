#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/runtime/pipeline_view.h"
#include "engine/runtime/stages.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/server.h"
#include "proto/config.pb.h"

namespace ferry::engine {

// One stage of the pipeline in its own process (ferryd --stage), for
// scaling each stage on its own. Data flows by push, so each stage dials
// the next one ("downstream"):
//   reader      --downstream=TRANSFORMER [--listen=ADDR]
//   transformer --listen=ADDR --downstream=WRITER_SHARD_0,WRITER_SHARD_1,...
//   writer      --listen=ADDR --shard=i --shards=n
// Readers split (integration, system, project) partitions by --shard and
// --shards; a transformer sends each integration to the writer shard that
// owns it (ShardOf(integration, number of writers)), so both directions of
// an integration meet in one link table. Every serving stage answers the
// standard gRPC health service; a reader serves nothing else, so it listens
// only when given an address (for probes). With server.stage_mtls the
// stages serve and dial each other with mutual TLS (MakeStageCredentials):
// a stage refuses a peer without a certificate of the stages' CA, health
// probes included (probe the control API's port, which answers health too).
struct StageOptions {
  std::string stage;  // "reader", "transformer" or "writer"
  // Required for a transformer or writer; optional for a reader.
  std::string listen;
  std::vector<std::string> downstream;
  Shard shard;
  std::string state_dir;
  int batch_size = 100;
  int window = 8;
  bool sync_writes = false;
  // Told of every HTTP exchange of the connectors (reader and writer
  // stages); may be null. Must outlive the StageProcess.
  ferry::http::HttpObserver* http_observer = nullptr;
};

// A running stage; stops when destroyed. As a PipelineView it shows only
// its own stage: readers in a reader, the writer with its links and
// failures in a writer, neither in a transformer.
class StageProcess final : public PipelineView {
 public:
  // Fails naming the flag that is missing or wrong, the stage TLS setting
  // and file that does not load, or the address that cannot be served.
  static absl::StatusOr<std::unique_ptr<StageProcess>> Start(
      const ferry::v1::FerryConfig& config, const StageOptions& options);
  ~StageProcess() override;

  // The port the stage's service listens on; 0 for a reader without
  // --listen.
  int port() const { return port_; }

  // PipelineView.
  std::string stage() const override { return stage_; }
  const std::map<std::string, std::shared_ptr<const IntegrationPlan>>& plans()
      const override {
    return plans_;
  }
  bool runs_readers() const override { return readers_ != nullptr; }
  std::vector<PartitionReader*> Readers(const std::string& integration) override {
    return readers_ == nullptr ? std::vector<PartitionReader*>()
                               : readers_->Readers(integration);
  }
  WriterService* writer_service() override {
    return writer_ == nullptr ? nullptr : &writer_->service();
  }
  StateStore* store() override {
    return writer_ == nullptr ? nullptr : store_.get();
  }
  Connector* connector(const std::string& system) override;
  std::string OtherWriterOf(const std::string& integration) const override;

 private:
  StageProcess() = default;

  // For the stages that touch end systems (reader, writer): opens the state
  // store, makes the connectors and logs their system checks.
  absl::Status OpenStateAndSystems(const ferry::v1::FerryConfig& config,
                                   const StageOptions& options);

  std::string stage_;
  Shard shard_;
  ConnectorServices connector_services_;
  std::unique_ptr<StateStore> store_;
  std::map<std::string, std::unique_ptr<Connector>> connectors_;
  std::map<std::string, std::shared_ptr<const IntegrationPlan>> plans_;
  std::unique_ptr<WriterStage> writer_;
  std::unique_ptr<grpc::Service> transformer_;
  std::vector<std::unique_ptr<ferry::v1::Writer::Stub>> writer_stubs_;
  std::unique_ptr<ferry::v1::Transformer::Stub> transformer_stub_;
  // A reader's only service when it listens (see Start).
  std::unique_ptr<grpc::CallbackGenericService> unknown_methods_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ReaderStage> readers_;
  int port_ = 0;
};

}  // namespace ferry::engine
