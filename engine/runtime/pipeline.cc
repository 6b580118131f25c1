#include "engine/runtime/pipeline.h"

#include "engine/runtime/system_checks.h"
#include "engine/stages/shutdown.h"
#include "grpcpp/server_builder.h"

namespace ferry::engine {

absl::StatusOr<std::unique_ptr<EmbeddedPipeline>> EmbeddedPipeline::Create(
    const ferry::v1::FerryConfig& config, const Options& options) {
  std::unique_ptr<EmbeddedPipeline> pipeline(new EmbeddedPipeline());
  StateStore::Options store_options;
  store_options.sync_writes = options.sync_writes;
  auto store = StateStore::Open(options.state_dir, store_options);
  if (!store.ok()) return store.status();
  pipeline->store_ = *std::move(store);
  pipeline->connector_services_.http_observer = options.http_observer;
  auto connectors = MakeConnectors(config, &pipeline->connector_services_);
  if (!connectors.ok()) return connectors.status();
  pipeline->connectors_ = *std::move(connectors);
  auto plans = MakePlans(config);
  if (!plans.ok()) return plans.status();
  pipeline->plans_ = *std::move(plans);
  CheckSystems(pipeline->connectors_, pipeline->plans_);

  auto writer = WriterStage::Create(pipeline->plans_, pipeline->connectors_,
                                    pipeline->store_.get(), Shard(),
                                    options.window);
  if (!writer.ok()) return writer.status();
  pipeline->writer_ = *std::move(writer);
  pipeline->transformer_service_ = std::make_unique<TransformerService>(
      pipeline->plans_, [p = pipeline.get()](const std::string&) {
        return static_cast<ferry::v1::Writer::StubInterface*>(
            p->writer_stub_.get());
      });
  grpc::ServerBuilder builder;
  builder.RegisterService(&pipeline->writer_->service());
  builder.RegisterService(pipeline->transformer_service_.get());
  pipeline->server_ = builder.BuildAndStart();
  if (pipeline->server_ == nullptr) {
    return absl::InternalError("the in-process gRPC server did not start");
  }
  auto channel = pipeline->server_->InProcessChannel(grpc::ChannelArguments());
  pipeline->writer_stub_ = ferry::v1::Writer::NewStub(channel);
  pipeline->transformer_stub_ = ferry::v1::Transformer::NewStub(channel);

  ReaderStage::Options reader_options;
  reader_options.batch_size = options.batch_size;
  auto readers = ReaderStage::Create(pipeline->plans_, pipeline->connectors_,
                                     pipeline->store_.get(),
                                     pipeline->transformer_stub_.get(),
                                     &pipeline->connector_services_.wakeups,
                                     reader_options);
  if (!readers.ok()) return readers.status();
  pipeline->readers_ = *std::move(readers);
  return pipeline;
}

EmbeddedPipeline::~EmbeddedPipeline() {
  readers_.reset();
  if (server_ != nullptr) ShutdownServer(*server_);
}

void EmbeddedPipeline::Start() { readers_->Start(); }

Connector* EmbeddedPipeline::connector(const std::string& system) {
  auto it = connectors_.find(system);
  return it == connectors_.end() ? nullptr : it->second.get();
}

}  // namespace ferry::engine
