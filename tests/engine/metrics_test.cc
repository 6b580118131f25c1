// ferryd's Prometheus metrics over a running embedded pipeline.
#include "engine/metrics/pipeline_collector.h"

#include <cstdlib>
#include <filesystem>

#include "engine/runtime/pipeline.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/exposer.h"
#include "tests/support/fake_world.h"
#include "tests/support/metrics_scrape.h"
#include "tests/support/values.h"

namespace ferry::engine {
namespace {

using ::ferry::testing::LookupName;
using ::ferry::testing::Person;
using ::ferry::testing::TextValue;

using ::testing::HasSubstr;



TEST(PipelineCollectorTest, ScrapeShowsReadWrittenSkippedAndLag) {
  const auto world = ferry::testing::FakeWorld::Fresh("metrics");
  auto src = world.Source();
  ASSERT_TRUE(src.ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(src->Create("SRC", "Task", {{"Title", TextValue("t")}}, Person("alice")).ok());
  }
  auto config = world.Config();
  ASSERT_TRUE(config.ok());
  EmbeddedPipeline::Options options;
  options.state_dir = world.dir + "/state";
  auto pipeline = EmbeddedPipeline::Create(*config, options);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  (*pipeline)->Start();

  prometheus::Exposer exposer("127.0.0.1:0");
  // The exposer holds a weak pointer: the collector must outlive it.
  EmbeddedPipeline* running = pipeline->get();
  auto collector = std::make_shared<PipelineCollector>(
      [running] { return running->Readers(""); }, running->writer_service(),
      running->IntegrationNames());
  exposer.RegisterCollectable(collector);
  // Written, and the acks back at the reader.
  const std::string body = ferry::testing::ScrapeUntilContains(
      exposer.GetListeningPorts().front(),
      {"ferry_changes_written_total{integration=\"sync\"} 3",
       "ferry_inflight_changes{integration=\"sync\",system=\"src\",project=\"SRC\"} 0"});
  EXPECT_THAT(body, HasSubstr("ferry_changes_written_total{integration=\"sync\"} 3"));
  EXPECT_THAT(body, HasSubstr(
      "ferry_changes_read_total{integration=\"sync\",system=\"src\",project=\"SRC\"} 3"));
  EXPECT_THAT(body, HasSubstr("# TYPE ferry_checkpoint_lag_seconds gauge"));
  EXPECT_THAT(body, HasSubstr(
      "ferry_inflight_changes{integration=\"sync\",system=\"src\",project=\"SRC\"} 0"));
  EXPECT_THAT(body, HasSubstr("ferry_failures_total{integration=\"sync\"} 0"));
}

}  // namespace
}  // namespace ferry::engine
