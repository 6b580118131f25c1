#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "http/credential_budgets.h"
#include "http/http_observer.h"
#include "engine/connector/connector.h"
#include "engine/connector/reader_wakeups.h"
#include "engine/pipeline/integration_plan.h"
#include "engine/stages/partition_reader.h"
#include "engine/stages/writer_service.h"
#include "engine/state/state_store.h"
#include "engine/writer/change_applier.h"
#include "proto/config.pb.h"
#include "proto/stages.grpc.pb.h"

namespace ferry::engine {

// The building blocks ferryd assembles, in one process (EmbeddedPipeline)
// or one stage per process (--stage).

// Which part of the work this process takes: shard `index` of `count`.
// Integrations and reader partitions are spread by a stable hash of their
// names, the same in every process and build.
struct Shard {
  int index = 0;
  int count = 1;

  bool Owns(absl::string_view name) const;
};

// FNV-1a of `name` modulo `count`: the shard that owns it.
int ShardOf(absl::string_view name, int count);

// What every connector of one process shares (see ConnectorContext): one
// budget per credential, the HTTP observer, and reader wake-ups. Must
// outlive the connectors and readers made with it.
struct ConnectorServices {
  ferry::http::CredentialBudgets budgets;
  ReaderWakeups wakeups;
  // Null: HTTP exchanges are not observed.
  ferry::http::HttpObserver* http_observer = nullptr;
};

// Every system's connector, secrets resolved, sharing `services`. Fails
// naming the system.
absl::StatusOr<std::map<std::string, std::unique_ptr<Connector>>> MakeConnectors(
    const ferry::v1::FerryConfig& config, ConnectorServices* services);

// Every integration's plan. Fails naming the integration.
absl::StatusOr<std::map<std::string, std::shared_ptr<const IntegrationPlan>>>
MakePlans(const ferry::v1::FerryConfig& config);

// The writer stage: an applier per integration this shard owns (by
// integration name, so both directions of an integration share one link
// table), behind a WriterService. Thread-safe as WriterService is.
class WriterStage {
 public:
  static absl::StatusOr<std::unique_ptr<WriterStage>> Create(
      const std::map<std::string, std::shared_ptr<const IntegrationPlan>>& plans,
      const std::map<std::string, std::unique_ptr<Connector>>& connectors,
      StateStore* store, Shard shard, int window);

  WriterService& service() { return *service_; }

 private:
  WriterStage() = default;
  std::vector<std::unique_ptr<EntityWriter>> writers_;
  std::vector<std::unique_ptr<ChangeApplier>> appliers_;
  std::unique_ptr<WriterService> service_;
};

// Where an integration's readers start when they have no checkpoint: the
// config's start_time, or else the moment the integration first started
// (whole seconds), recorded in `store` on first use so that restarts,
// reloads and projects added later all start from that same moment.
// Fails when the state cannot be read or written.
absl::StatusOr<ferry::v1::SourcePosition> IntegrationStart(
    const ferry::v1::IntegrationConfig& integration, StateStore* store,
    absl::Time now);

// The reader stage: a PartitionReader per (integration, system, project)
// this shard owns, pushing to `transformer`. Readers run between Start()
// and destruction; while they exist, a wake-up of their system in
// `wakeups` (a webhook) makes them poll at once.
class ReaderStage {
 public:
  struct Options {
    Shard shard;
    int batch_size = 100;
  };

  static absl::StatusOr<std::unique_ptr<ReaderStage>> Create(
      const std::map<std::string, std::shared_ptr<const IntegrationPlan>>& plans,
      const std::map<std::string, std::unique_ptr<Connector>>& connectors,
      StateStore* store, ferry::v1::Transformer::StubInterface* transformer,
      ReaderWakeups* wakeups, const Options& options);
  ~ReaderStage();  // Stops the readers.

  void Start();
  // The readers of one integration (every integration when empty).
  std::vector<PartitionReader*> Readers(const std::string& integration);

 private:
  ReaderStage() = default;
  std::vector<std::unique_ptr<PartitionReader>> readers_;
  // Ended before the readers stop, so no wake-up reaches a stopped reader.
  std::vector<std::unique_ptr<ReaderWakeups::Subscription>> subscriptions_;
};

}  // namespace ferry::engine
