// ferry_api_* metrics as ferryd serves them: an embedded pipeline whose
// PagerDuty connector talks to the PagerDuty simulator reports its HTTP
// calls on /metrics through HttpMetrics.
#include <cstdlib>

#include "engine/config/loader.h"
#include "engine/connector/registry.h"
#include "engine/runtime/pipeline.h"
#include "engine/metrics/http_metrics.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/exposer.h"
#include "tests/support/fake_world.h"
#include "tests/support/metrics_scrape.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::engine {
namespace {

using ::testing::HasSubstr;

class ApiMetricsTest : public pagerduty_sim::SimFixture {};

TEST_F(ApiMetricsTest, ScrapeCountsTheConnectorsHttpCalls) {
  NewIncident("disk full");
  const auto world = ferry::testing::FakeWorld::Fresh("api_metrics");
  setenv("FERRY_TEST_PD_TOKEN", "account-full", 1);
  config::ValidationOptions validation;
  validation.system_kinds = ConnectorRegistry::Kinds();
  validation.check_secrets = true;
  const std::string yaml = R"(
systems:
  - {name: pd, kind: pagerduty, url: "http://127.0.0.1:)" + std::to_string(sim_->port()) +
                           R"(", token: {env: FERRY_TEST_PD_TOKEN}, user_email: ferry-bot@example.com}
  - {name: dst, kind: fake, url: "file://)" + world.dir + R"(/dst", token: {env: FERRY_TEST_PD_TOKEN}}
mappings:
  - {name: m, source_type: incident, target_type: Task, fields: [{source: Title, target: Title}]}
integrations:
  - {name: pd-to-fake, source: {system: pd, projects: [PSVCWEB]}, target: {system: dst, projects: [DST]}, mapping: m, poll_interval: 60s}
)";
  auto loaded = config::LoadConfigText(yaml, "api_metrics.yaml", validation);
  ASSERT_TRUE(loaded.ok()) << config::FormatProblem(loaded.problems[0]);

  HttpMetrics metrics;
  EmbeddedPipeline::Options options;
  options.state_dir = world.dir + "/state";
  options.http_observer = &metrics;
  auto pipeline = EmbeddedPipeline::Create(loaded.config, options);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  prometheus::Exposer exposer("127.0.0.1:0");
  exposer.RegisterCollectable(metrics.registry());
  (*pipeline)->Start();

  const std::string body = ferry::testing::ScrapeUntilContains(
      exposer.GetListeningPorts().front(),
      {"ferry_api_requests_total{code=\"200\",system=\"pd\"}"});
  EXPECT_THAT(body, HasSubstr("ferry_api_requests_total{code=\"200\",system=\"pd\"}"));
  EXPECT_THAT(body, HasSubstr("# TYPE ferry_api_request_duration_seconds histogram"));
  EXPECT_THAT(body, HasSubstr("ferry_api_request_duration_seconds_count{system=\"pd\"}"));
  EXPECT_THAT(body, HasSubstr("ferry_api_rate_limited_total{system=\"pd\"} 0"));
  pipeline->reset();
}

}  // namespace
}  // namespace ferry::engine
