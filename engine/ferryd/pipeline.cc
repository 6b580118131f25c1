#include "engine/ferryd/pipeline.h"

#include "absl/strings/str_cat.h"
#include "engine/config/secrets.h"
#include "engine/connector/registry.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/server_builder.h"

namespace ferry::engine {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::Duration kDefaultPollInterval = absl::Seconds(60);

absl::Duration PollInterval(const ferry::v1::IntegrationConfig& integration) {
  if (!integration.has_poll_interval()) return kDefaultPollInterval;
  return absl::Nanoseconds(
      TimeUtil::DurationToNanoseconds(integration.poll_interval()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<EmbeddedPipeline>> EmbeddedPipeline::Create(
    const ferry::v1::FerryConfig& config, const Options& options) {
  std::unique_ptr<EmbeddedPipeline> pipeline(new EmbeddedPipeline());
  StateStore::Options store_options;
  store_options.sync_writes = options.sync_writes;
  auto store = StateStore::Open(options.state_dir, store_options);
  if (!store.ok()) return store.status();
  pipeline->store_ = *std::move(store);

  for (const auto& system : config.systems()) {
    std::string secret;
    if (system.has_token()) {
      auto resolved = config::ResolveSecret(system.token());
      if (!resolved.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "system '", system.name(), "': ", resolved.status().message()));
      }
      secret = *std::move(resolved);
    }
    auto connector = ConnectorRegistry::Create(system, secret);
    if (!connector.ok()) return connector.status();
    pipeline->connectors_[system.name()] = *std::move(connector);
  }

  std::map<std::string, ChangeApplier*> appliers;
  for (const auto& integration : config.integrations()) {
    auto plan = PlanIntegration(config, integration);
    if (!plan.ok()) return plan.status();
    pipeline->plans_[integration.name()] = *plan;
    absl::flat_hash_map<std::string, EntityWriter*> writers;
    for (const auto* system : {&(*plan)->source_system, &(*plan)->target_system}) {
      auto writer = pipeline->connectors_.at(system->name())->NewWriter(
          integration.name());
      if (!writer.ok()) return writer.status();
      writers[system->name()] = writer->get();
      pipeline->writers_.push_back(*std::move(writer));
    }
    pipeline->appliers_.push_back(std::make_unique<ChangeApplier>(
        *plan, pipeline->store_.get(), std::move(writers)));
    appliers[integration.name()] = pipeline->appliers_.back().get();
  }

  WriterService::Options writer_options;
  writer_options.window = options.window;
  pipeline->writer_service_ =
      std::make_unique<WriterService>(std::move(appliers), writer_options);
  pipeline->transformer_service_ = std::make_unique<TransformerService>(
      pipeline->plans_, [p = pipeline.get()](const std::string&) {
        return static_cast<ferry::v1::Writer::StubInterface*>(
            p->writer_stub_.get());
      });
  grpc::ServerBuilder builder;
  builder.RegisterService(pipeline->writer_service_.get());
  builder.RegisterService(pipeline->transformer_service_.get());
  pipeline->server_ = builder.BuildAndStart();
  if (pipeline->server_ == nullptr) {
    return absl::InternalError("the in-process gRPC server did not start");
  }
  auto channel = pipeline->server_->InProcessChannel(grpc::ChannelArguments());
  pipeline->writer_stub_ = ferry::v1::Writer::NewStub(channel);
  pipeline->transformer_stub_ = ferry::v1::Transformer::NewStub(channel);

  for (const auto& [name, plan] : pipeline->plans_) {
    const auto& integration = plan->config;
    std::vector<std::pair<const ferry::v1::SystemConfig*, const ferry::v1::Endpoint*>>
        sides = {{&plan->source_system, &integration.source()}};
    if (integration.direction() == ferry::v1::DIRECTION_BOTH) {
      sides.push_back({&plan->target_system, &integration.target()});
    }
    for (const auto& [system, endpoint] : sides) {
      for (const auto& project : endpoint->projects()) {
        ReaderOptions reader_options;
        reader_options.integration = name;
        reader_options.project = project;
        if (system == &plan->source_system) {
          reader_options.criteria = integration.criteria().query();
        }
        if (integration.has_start_time()) {
          ferry::v1::SourcePosition start;
          *start.mutable_time() = integration.start_time();
          reader_options.start = start;
        }
        auto reader = pipeline->connectors_.at(system->name())
                          ->NewReader(reader_options);
        if (!reader.ok()) return reader.status();
        PartitionReader::Options partition_options;
        partition_options.batch_size = options.batch_size;
        partition_options.poll_interval = PollInterval(integration);
        partition_options.start = reader_options.start;
        partition_options.paused = integration.paused();
        pipeline->readers_.push_back(std::make_unique<PartitionReader>(
            PartitionKey{name, system->name(), project}, *std::move(reader),
            pipeline->store_.get(), pipeline->transformer_stub_.get(),
            partition_options));
      }
    }
  }
  return pipeline;
}

EmbeddedPipeline::~EmbeddedPipeline() {
  for (auto& reader : readers_) reader->Stop();
  if (server_ != nullptr) server_->Shutdown();
}

void EmbeddedPipeline::Start() {
  for (auto& reader : readers_) reader->Start();
}

std::vector<PartitionReader*> EmbeddedPipeline::Readers(
    const std::string& integration) {
  std::vector<PartitionReader*> found;
  for (auto& reader : readers_) {
    if (integration.empty() || reader->partition().integration == integration) {
      found.push_back(reader.get());
    }
  }
  return found;
}

Connector* EmbeddedPipeline::connector(const std::string& system) {
  auto it = connectors_.find(system);
  return it == connectors_.end() ? nullptr : it->second.get();
}

}  // namespace ferry::engine
