// Push mode through the whole engine: PagerDuty (the simulator) to a fake
// target in an EmbeddedPipeline that polls only once an hour, so a change
// reaching the target after the first poll was read because a webhook
// woke the reader.
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "connectors/pagerduty/testing/push_pipeline.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::pagerduty {
namespace {

using ::testing::HasSubstr;

class PdPushPipelineTest : public pagerduty_sim::SimFixture {
 protected:
  void SetUp() override {
    SimFixture::SetUp();
    auto push = PushPipeline::Start(sim_->port(),
                                    absl::StrCat(std::getenv("TEST_TMPDIR"), "/push"));
    ASSERT_TRUE(push.ok()) << push.status();
    push_ = *std::move(push);
  }

  void TearDown() override {
    push_.reset();
    SimFixture::TearDown();
  }

  std::unique_ptr<PushPipeline> push_;
};

TEST_F(PdPushPipelineTest, AWebhookMakesTheHourlyReaderReadAtOnce) {
  auto port = push_->WebhookPort();
  ASSERT_TRUE(port.ok()) << port.status();
  EXPECT_EQ(*port, push_->subscribed_port());
  ASSERT_TRUE(push_->WaitForFirstPolls(absl::Seconds(30)));

  // The next poll is an hour away: only the webhooks can bring these over.
  NewIncident("pushed right away");
  EXPECT_TRUE(push_->WaitForTask("pushed right away", absl::Seconds(30)));
  NewIncident("and the next one too");
  EXPECT_TRUE(push_->WaitForTask("and the next one too", absl::Seconds(30)));
  // Each delivery is counted under the configured system's name.
  EXPECT_THAT(prometheus::TextSerializer().Serialize(push_->metrics().registry()->Collect()),
              HasSubstr("ferry_webhook_deliveries_total{outcome=\"accepted\",system=\"pd\"}"));
}

TEST_F(PdPushPipelineTest, AReloadedConnectorListensOnTheSamePortAgain) {
  ASSERT_TRUE(push_->WaitForFirstPolls(absl::Seconds(30)));
  const absl::Status restarted = push_->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  ASSERT_TRUE(push_->WaitForFirstPolls(absl::Seconds(30)));
  NewIncident("after the reload");
  EXPECT_TRUE(push_->WaitForTask("after the reload", absl::Seconds(30)));
}

}  // namespace
}  // namespace ferry::pagerduty
