#include "engine/runtime/stages.h"

#include "absl/strings/str_cat.h"
#include "engine/common/proto_time.h"
#include "engine/config/secrets.h"
#include "engine/connector/registry.h"
#include "mapping/mapper.h"

namespace ferry::engine {
namespace {

constexpr absl::Duration kDefaultPollInterval = absl::Seconds(60);

absl::Duration PollInterval(const ferry::v1::IntegrationConfig& integration) {
  if (!integration.has_poll_interval()) return kDefaultPollInterval;
  return FromProto(integration.poll_interval());
}

// The partition key under which an integration's first start is kept: no
// real partition has an empty system.
PartitionKey FirstStartKey(const std::string& integration) {
  return PartitionKey{integration, "", ""};
}

}  // namespace

absl::StatusOr<ferry::v1::SourcePosition> IntegrationStart(
    const ferry::v1::IntegrationConfig& integration, StateStore* store,
    absl::Time now) {
  ferry::v1::SourcePosition start;
  if (integration.has_start_time()) {
    *start.mutable_time() = integration.start_time();
    return start;
  }
  const PartitionKey key = FirstStartKey(integration.name());
  auto stored = store->GetCheckpoint(key);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return **stored;
  // Whole seconds: PagerDuty stamps its log in seconds, and a change in
  // the second the integration started belongs to it.
  *start.mutable_time() = ToProto(absl::FromUnixSeconds(absl::ToUnixSeconds(now)));
  StateStore::Batch batch;
  batch.PutCheckpoint(key, start);
  if (absl::Status written = store->Write(std::move(batch)); !written.ok()) {
    return written;
  }
  return start;
}

int ShardOf(absl::string_view name, int count) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : name) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return static_cast<int>(hash % static_cast<uint64_t>(count));
}

bool Shard::Owns(absl::string_view name) const {
  return count <= 1 || ShardOf(name, count) == index;
}

absl::StatusOr<std::map<std::string, std::unique_ptr<Connector>>> MakeConnectors(
    const ferry::v1::FerryConfig& config, ConnectorServices* services) {
  std::map<std::string, std::unique_ptr<Connector>> connectors;
  for (const auto& system : config.systems()) {
    ConnectorContext context;
    context.budgets = &services->budgets;
    context.credential_id = system.name();
    context.http_observer = services->http_observer;
    context.wake = services->wakeups.WakerFor(system.name());
    std::string secret;
    if (system.has_token()) {
      context.credential_id = system.token().has_file()
                                  ? absl::StrCat("file:", system.token().file())
                                  : absl::StrCat("env:", system.token().env());
      auto resolved = config::ResolveSecret(system.token());
      if (!resolved.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "system '", system.name(), "': ", resolved.status().message()));
      }
      secret = *std::move(resolved);
    }
    auto connector = ConnectorRegistry::Create(system, secret, context);
    if (!connector.ok()) return connector.status();
    connectors[system.name()] = *std::move(connector);
  }
  return connectors;
}

absl::StatusOr<std::map<std::string, std::shared_ptr<const IntegrationPlan>>>
MakePlans(const ferry::v1::FerryConfig& config) {
  std::map<std::string, std::shared_ptr<const IntegrationPlan>> plans;
  for (const auto& integration : config.integrations()) {
    auto plan = PlanIntegration(config, integration);
    if (!plan.ok()) return plan.status();
    plans[integration.name()] = *std::move(plan);
  }
  return plans;
}

absl::StatusOr<std::unique_ptr<WriterStage>> WriterStage::Create(
    const std::map<std::string, std::shared_ptr<const IntegrationPlan>>& plans,
    const std::map<std::string, std::unique_ptr<Connector>>& connectors,
    StateStore* store, Shard shard, int window) {
  std::unique_ptr<WriterStage> stage(new WriterStage());
  std::map<std::string, ChangeApplier*> appliers;
  for (const auto& [name, plan] : plans) {
    if (!shard.Owns(name)) continue;
    absl::flat_hash_map<std::string, EntityWriter*> writers;
    for (const auto* system : {&plan->source_system, &plan->target_system}) {
      auto writer = connectors.at(system->name())->NewWriter(name);
      if (!writer.ok()) return writer.status();
      writers[system->name()] = writer->get();
      stage->writers_.push_back(*std::move(writer));
    }
    stage->appliers_.push_back(
        std::make_unique<ChangeApplier>(plan, store, std::move(writers)));
    appliers[name] = stage->appliers_.back().get();
  }
  WriterService::Options options;
  options.window = window;
  stage->service_ = std::make_unique<WriterService>(std::move(appliers), options);
  return stage;
}

absl::StatusOr<std::unique_ptr<ReaderStage>> ReaderStage::Create(
    const std::map<std::string, std::shared_ptr<const IntegrationPlan>>& plans,
    const std::map<std::string, std::unique_ptr<Connector>>& connectors,
    StateStore* store, ferry::v1::Transformer::StubInterface* transformer,
    ReaderWakeups* wakeups, const Options& options) {
  std::unique_ptr<ReaderStage> stage(new ReaderStage());
  for (const auto& [name, plan] : plans) {
    const auto& integration = plan->config;
    auto start = IntegrationStart(integration, store, absl::Now());
    if (!start.ok()) return start.status();
    std::vector<std::pair<const ferry::v1::SystemConfig*, const ferry::v1::Endpoint*>>
        sides = {{&plan->source_system, &integration.source()}};
    if (integration.direction() == ferry::v1::DIRECTION_BOTH) {
      sides.push_back({&plan->target_system, &integration.target()});
    }
    for (const auto& [system, endpoint] : sides) {
      for (const auto& project : endpoint->projects()) {
        if (!options.shard.Owns(absl::StrCat(name, "/", system->name(), "/", project))) {
          continue;
        }
        ReaderOptions reader_options;
        reader_options.integration = name;
        reader_options.project = project;
        reader_options.criteria = system == &plan->source_system
                                      ? plan->source_reader_criteria
                                      : plan->target_reader_criteria;
        reader_options.start = *start;
        if (const mapping::Mapper* mapper = plan->MapperFor(system->name())) {
          reader_options.fields_read = mapper->FieldsRead();
          reader_options.fields_read_when_linked = mapper->FieldsReadWhenLinked();
          reader_options.linked = [store, integration = name,
                                   side = system->name()](const std::string& id) {
            auto link = store->FindLink(EntityKey{integration, side, id});
            return link.ok() && link->has_value();
          };
        }
        auto reader = connectors.at(system->name())->NewReader(reader_options);
        if (!reader.ok()) return reader.status();
        PartitionReader::Options partition_options;
        partition_options.batch_size = options.batch_size;
        partition_options.poll_interval = PollInterval(integration);
        partition_options.start = reader_options.start;
        partition_options.paused = integration.paused();
        stage->readers_.push_back(std::make_unique<PartitionReader>(
            PartitionKey{name, system->name(), project}, *std::move(reader),
            store, transformer, partition_options));
        stage->subscriptions_.push_back(wakeups->Subscribe(
            system->name(), [r = stage->readers_.back().get()] { r->SyncNow(); }));
      }
    }
  }
  return stage;
}

ReaderStage::~ReaderStage() {
  subscriptions_.clear();
  for (auto& reader : readers_) reader->Stop();
}

void ReaderStage::Start() {
  for (auto& reader : readers_) reader->Start();
}

std::vector<PartitionReader*> ReaderStage::Readers(const std::string& integration) {
  std::vector<PartitionReader*> found;
  for (auto& reader : readers_) {
    if (integration.empty() || reader->partition().integration == integration) {
      found.push_back(reader.get());
    }
  }
  return found;
}

}  // namespace ferry::engine
