#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/stages/partition_reader.h"
#include "engine/stages/writer_service.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace ferry::engine {

// Ferry's pipeline metrics, read from the stages when Prometheus scrapes
// (nothing is counted twice, nothing is kept here):
//   ferry_changes_read_total{integration,system,project}       counter
//   ferry_changes_written_total{integration}                   counter
//   ferry_changes_skipped_total{integration,reason}            counter
//   ferry_failures_total{integration}                          counter
//   ferry_checkpoint_lag_seconds{integration,system,project}   gauge
//   ferry_inflight_changes{integration,system,project}         gauge
// A process reports what it runs: the readers `readers` returns (none in a
// writer process) and the integrations `writer` owns (none in a reader
// process; `writer` may be null).
//
// Thread-safe; the stages must outlive it. prometheus::Exposer keeps only
// a weak pointer: whoever registers it must keep it alive.
class PipelineCollector : public prometheus::Collectable {
 public:
  PipelineCollector(std::function<std::vector<PartitionReader*>()> readers,
                    WriterService* writer, std::vector<std::string> integrations)
      : readers_(std::move(readers)),
        writer_(writer),
        integrations_(std::move(integrations)) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::function<std::vector<PartitionReader*>()> readers_;
  WriterService* writer_;
  std::vector<std::string> integrations_;
};

}  // namespace ferry::engine
