#include "engine/runtime/stage_process.h"

#include "absl/strings/str_cat.h"
#include "engine/runtime/stage_credentials.h"
#include "engine/runtime/system_checks.h"
#include "engine/stages/shutdown.h"
#include "engine/stages/transformer_service.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"

namespace ferry::engine {
absl::Status StageProcess::OpenStateAndSystems(const ferry::v1::FerryConfig& config,
                                               const StageOptions& options) {
  StateStore::Options store_options;
  store_options.sync_writes = options.sync_writes;
  auto opened = StateStore::Open(options.state_dir, store_options);
  if (!opened.ok()) return opened.status();
  store_ = *std::move(opened);
  auto connectors = MakeConnectors(config, &connector_services_);
  if (!connectors.ok()) return connectors.status();
  connectors_ = *std::move(connectors);
  CheckSystems(connectors_, plans_);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<StageProcess>> StageProcess::Start(
    const ferry::v1::FerryConfig& config, const StageOptions& options) {
  std::unique_ptr<StageProcess> process(new StageProcess());
  process->stage_ = options.stage;
  process->shard_ = options.shard;
  auto plans = MakePlans(config);
  if (!plans.ok()) return plans.status();
  process->plans_ = *std::move(plans);
  const bool serves = options.stage != "reader" || !options.listen.empty();
  if (!serves && options.stage != "reader") {
    return absl::InvalidArgumentError(
        absl::StrCat("--stage=", options.stage, " needs --listen=ADDRESS"));
  }
  if (options.stage != "writer" && options.downstream.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--stage=", options.stage, " needs --downstream=ADDRESS (the ",
        options.stage == "reader" ? "transformer" : "writer shards", ")"));
  }

  // Read before anything starts, so a TLS file problem starts nothing.
  auto credentials = MakeStageCredentials(config.server());
  if (!credentials.ok()) return credentials.status();

  // Serving stages answer the standard gRPC health service (probes).
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  process->connector_services_.http_observer = options.http_observer;
  if (options.stage == "writer") {
    absl::Status opened = process->OpenStateAndSystems(config, options);
    if (!opened.ok()) return opened;
    auto writer = WriterStage::Create(process->plans_, process->connectors_,
                                      process->store_.get(), options.shard,
                                      options.window);
    if (!writer.ok()) return writer.status();
    process->writer_ = *std::move(writer);
    builder.RegisterService(&process->writer_->service());
  } else if (options.stage == "transformer") {
    for (const auto& address : options.downstream) {
      process->writer_stubs_.push_back(ferry::v1::Writer::NewStub(
          grpc::CreateChannel(address, credentials->channel)));
    }
    process->transformer_ = std::make_unique<TransformerService>(
        process->plans_, [p = process.get()](const std::string& integration) {
          const int shard = ShardOf(integration,
                                    static_cast<int>(p->writer_stubs_.size()));
          return static_cast<ferry::v1::Writer::StubInterface*>(
              p->writer_stubs_[shard].get());
        });
    builder.RegisterService(process->transformer_.get());
  } else if (options.stage == "reader") {
    absl::Status opened = process->OpenStateAndSystems(config, options);
    if (!opened.ok()) return opened;
    process->transformer_stub_ = ferry::v1::Transformer::NewStub(grpc::CreateChannel(
        options.downstream.front(), credentials->channel));
    ReaderStage::Options reader_options;
    reader_options.shard = options.shard;
    reader_options.batch_size = options.batch_size;
    auto readers = ReaderStage::Create(process->plans_, process->connectors_,
                                       process->store_.get(),
                                       process->transformer_stub_.get(),
                                       &process->connector_services_.wakeups,
                                       reader_options);
    if (!readers.ok()) return readers.status();
    process->readers_ = *std::move(readers);
    if (serves) {
      // gRPC refuses a server with no service of its own; this one only
      // answers UNIMPLEMENTED, so the reader serves health alone.
      process->unknown_methods_ = std::make_unique<grpc::CallbackGenericService>();
      builder.RegisterCallbackGenericService(process->unknown_methods_.get());
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown --stage '", options.stage, "'; use reader, transformer or writer"));
  }

  if (serves) {
    builder.AddListeningPort(options.listen, credentials->server,
                             &process->port_);
    process->server_ = builder.BuildAndStart();
    if (process->server_ == nullptr || process->port_ == 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot listen on ", options.listen));
    }
  }
  if (process->readers_ != nullptr) process->readers_->Start();
  return process;
}

StageProcess::~StageProcess() {
  readers_.reset();
  if (server_ != nullptr) ShutdownServer(*server_);
}

Connector* StageProcess::connector(const std::string& system) {
  auto it = connectors_.find(system);
  return it == connectors_.end() ? nullptr : it->second.get();
}

std::string StageProcess::OtherWriterOf(const std::string& integration) const {
  if (writer_ == nullptr || shard_.Owns(integration)) return "";
  return absl::StrCat("writer shard ", ShardOf(integration, shard_.count), " of ",
                      shard_.count);
}

}  // namespace ferry::engine
