#include "engine/metrics/pipeline_collector.h"

#include "absl/time/clock.h"
#include "engine/common/proto_time.h"

namespace ferry::engine {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily Family(const char* name, const char* help, MetricType type) {
  MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  return family;
}

void Add(MetricFamily* family, std::vector<ClientMetric::Label> labels,
         double value) {
  ClientMetric metric;
  metric.label = std::move(labels);
  if (family->type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family->metric.push_back(std::move(metric));
}

}  // namespace

std::vector<MetricFamily> PipelineCollector::Collect() const {
  auto read = Family("ferry_changes_read_total",
                     "Changes read from end systems.", MetricType::Counter);
  auto lag = Family("ferry_checkpoint_lag_seconds",
                    "Seconds between now and the last acknowledged change.",
                    MetricType::Gauge);
  auto inflight = Family("ferry_inflight_changes",
                         "Changes read and not yet acknowledged.",
                         MetricType::Gauge);
  auto written = Family("ferry_changes_written_total",
                        "Changes written to end systems.", MetricType::Counter);
  auto skipped = Family("ferry_changes_skipped_total",
                        "Changes deliberately not written, by reason.",
                        MetricType::Counter);
  auto failures = Family("ferry_failures_total",
                         "Changes parked in the failure queue.",
                         MetricType::Counter);
  const absl::Time now = absl::Now();
  for (PartitionReader* reader : readers_()) {
    const PartitionKey& key = reader->partition();
    const std::vector<ClientMetric::Label> labels = {
        {"integration", key.integration},
        {"system", key.system},
        {"project", key.project}};
    const PartitionReader::Status status = reader->GetStatus();
    Add(&read, labels, static_cast<double>(status.changes_read));
    Add(&inflight, labels, static_cast<double>(status.changes_in_flight));
    if (status.checkpoint.has_value() && status.checkpoint->has_time()) {
      Add(&lag, labels,
          absl::ToDoubleSeconds(now - FromProto(status.checkpoint->time())));
    }
  }
  for (const std::string& name : writer_ == nullptr ? std::vector<std::string>()
                                                    : integrations_) {
    // NOT_FOUND for an integration another writer shard owns: nothing here.
    (void)writer_->WithApplier(
        name, [&](ChangeApplier& applier) {
          auto counted = applier.GetCounts();
          if (!counted.ok()) return counted.status();
          const ChangeApplier::Counts& counts = *counted;
          Add(&written, {{"integration", name}}, static_cast<double>(counts.written));
          Add(&failures, {{"integration", name}}, static_cast<double>(counts.parked));
          for (const auto& [reason, count] : counts.skipped_by_reason) {
            Add(&skipped, {{"integration", name}, {"reason", reason}},
                static_cast<double>(count));
          }
          return absl::OkStatus();
        });
  }
  return {read, written, skipped, failures, lag, inflight};
}

}  // namespace ferry::engine
