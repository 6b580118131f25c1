#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/runtime/pipeline.h"
#include "engine/metrics/http_metrics.h"

namespace ferry::pagerduty {

// Push mode through the whole engine, for tests and benchmarks: a webhook
// subscription on a running pagerduty_sim (seeded with testdata/seed.json)
// and an EmbeddedPipeline that syncs the Title of service PSVCWEB's
// incidents to Tasks of project DST in a fake system, with the PagerDuty
// connector in push mode and a poll interval of one hour. After the
// reader's first poll, only a webhook brings a change over promptly.
//
// Not thread-safe; one test thread drives it.
class PushPipeline {
 public:
  // Subscribes to `sim_port`'s incident events (triggered, acknowledged,
  // resolved) with a URL on a free port of 127.0.0.1, stores the signing
  // secret in `dir` (created, emptied first) and starts the pipeline.
  // Lifts the simulator's rate limit. Sets the token variables it uses.
  static absl::StatusOr<std::unique_ptr<PushPipeline>> Start(int sim_port,
                                                              const std::string& dir);

  // Destroys the pipeline and makes a new one with the same config and
  // state, as ferryd's reload does.
  absl::Status Restart();

  // The port the pipeline's webhook receiver is bound to.
  absl::StatusOr<int> WebhookPort();
  engine::EmbeddedPipeline& pipeline() { return *pipeline_; }
  // What the pipeline's connectors reported, as ferryd's /metrics shows it.
  const engine::HttpMetrics& metrics() const { return metrics_; }
  // The port the subscription delivers to.
  int subscribed_port() const { return hook_port_; }

  // Waits up to `timeout` until every reader has polled once.
  bool WaitForFirstPolls(absl::Duration timeout);

  // Whether a Task titled `title` exists in DST.
  bool HasTask(const std::string& title) const;
  // Waits up to `timeout` (checking every `every`) for one.
  bool WaitForTask(const std::string& title, absl::Duration timeout,
                   absl::Duration every = absl::Milliseconds(50)) const;

 private:
  PushPipeline(int sim_port, std::string dir) : sim_port_(sim_port), dir_(std::move(dir)) {}
  absl::Status Subscribe();
  absl::Status StartPipeline();

  const int sim_port_;
  const std::string dir_;
  int hook_port_ = 0;
  engine::HttpMetrics metrics_;  // Outlives every pipeline, as in ferryd.
  std::unique_ptr<engine::EmbeddedPipeline> pipeline_;
};

}  // namespace ferry::pagerduty
