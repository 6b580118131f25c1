#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/connector/connector.h"
#include "engine/pipeline/integration_plan.h"
#include "engine/stages/partition_reader.h"
#include "engine/stages/writer_service.h"
#include "engine/state/state_store.h"

namespace ferry::engine {

// What the control API and metrics see of the stages one ferryd process
// runs: every stage (EmbeddedPipeline) or one of them (StageProcess). A
// part this process does not run is absent (null or empty), so a caller
// can tell which stage to ask instead.
//
// Implementations are thread-safe while running; pointers they return live
// as long as the implementation.
class PipelineView {
 public:
  virtual ~PipelineView() = default;

  // "embedded", "reader", "transformer" or "writer": for messages.
  virtual std::string stage() const = 0;
  // Every integration of the config, by name.
  virtual const std::map<std::string, std::shared_ptr<const IntegrationPlan>>&
  plans() const = 0;
  // Whether this process runs readers (a reader shard may still own none
  // of an integration's partitions).
  virtual bool runs_readers() const = 0;
  // The readers of one integration this process runs (every integration
  // when empty).
  virtual std::vector<PartitionReader*> Readers(const std::string& integration) = 0;
  // The writer; null unless this process runs one.
  virtual WriterService* writer_service() = 0;
  // The state holding links and failures; null unless this process runs a
  // writer.
  virtual StateStore* store() = 0;
  // The connector of a system; null when unknown or when this process runs
  // no connectors (a transformer).
  virtual Connector* connector(const std::string& system) = 0;
  // When this process runs a writer that does not own `integration` (a
  // writer shard owns whole integrations): which shard does, in words
  // ("writer shard 1 of 2"). Empty when this process writes it, or runs no
  // writer.
  virtual std::string OtherWriterOf(const std::string& integration) const {
    return "";
  }

  // The names of every integration, in the order of plans().
  std::vector<std::string> IntegrationNames() const {
    std::vector<std::string> names;
    for (const auto& [name, plan] : plans()) names.push_back(name);
    return names;
  }
};

}  // namespace ferry::engine
