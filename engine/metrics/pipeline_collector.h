#pragma once

#include <vector>

#include "engine/ferryd/pipeline.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace ferry::engine {

// Ferry's pipeline metrics, read from the pipeline when Prometheus scrapes
// (nothing is counted twice, nothing is kept here):
//   ferry_changes_read_total{integration,system,project}       counter
//   ferry_changes_written_total{integration}                   counter
//   ferry_changes_skipped_total{integration,reason}            counter
//   ferry_failures_total{integration}                          counter
//   ferry_checkpoint_lag_seconds{integration,system,project}   gauge
//   ferry_inflight_changes{integration,system,project}         gauge
// Thread-safe; the pipeline must outlive it. prometheus::Exposer keeps only
// a weak pointer: whoever registers it must keep it alive.
class PipelineCollector : public prometheus::Collectable {
 public:
  explicit PipelineCollector(EmbeddedPipeline* pipeline) : pipeline_(pipeline) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  EmbeddedPipeline* pipeline_;
};

}  // namespace ferry::engine
