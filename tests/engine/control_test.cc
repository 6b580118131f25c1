// The control API over a running embedded pipeline, as ferryctl uses it.
#include "engine/control/control_server.h"

#include <cstdlib>
#include <filesystem>

#include "absl/time/clock.h"
#include "engine/config/hostile_yaml_testing.h"
#include "engine/runtime/pipeline.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/values.h"
#include "proto/control.grpc.pb.h"
#include "tests/support/fake_world.h"

namespace ferry::engine {
namespace {

using ::ferry::testing::LookupName;
using ::ferry::testing::Person;
using ::ferry::testing::TextValue;

using ::testing::HasSubstr;

constexpr char kToken[] = "control-secret-1234";




class ControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_ = ferry::testing::FakeWorld::Fresh(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ::setenv("FERRY_TEST_CONTROL_TOKEN", kToken, 1);
    auto config = world_.Config();
    ASSERT_TRUE(config.ok()) << config.status();
    config->mutable_server()->mutable_control_token()->set_env(
        "FERRY_TEST_CONTROL_TOKEN");
    EmbeddedPipeline::Options options;
    options.state_dir = world_.dir + "/state";
    auto pipeline = EmbeddedPipeline::Create(*config, options);
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    pipeline_ = *std::move(pipeline);
    auto control = StartControlServer(config->server(), "127.0.0.1:0",
                                      pipeline_.get());
    ASSERT_TRUE(control.ok()) << control.status();
    control_ = std::make_unique<ControlServer>(*std::move(control));
    stub_ = ferry::v1::Control::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(control_->port),
        grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (control_ != nullptr) control_->server->Shutdown();
  }

  std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", std::string("Bearer ") + kToken);
    return context;
  }

  // Waits until `done` holds, polling.
  template <typename Predicate>
  bool Eventually(Predicate done) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  ferry::testing::FakeWorld world_;
  std::unique_ptr<EmbeddedPipeline> pipeline_;
  std::unique_ptr<ControlServer> control_;
  std::unique_ptr<ferry::v1::Control::Stub> stub_;
};

TEST_F(ControlTest, CallsWithoutTheTokenAreRefused) {
  grpc::ClientContext context;
  ferry::v1::ListIntegrationsResponse response;
  const grpc::Status status =
      stub_->ListIntegrations(&context, ferry::v1::ListIntegrationsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), ::testing::Not(HasSubstr(kToken)));
}

TEST_F(ControlTest, StatusLinksPreviewAndPause) {
  auto src = world_.Source();
  ASSERT_TRUE(src.ok());
  auto entity = src->Create("SRC", "Task", {{"Title", TextValue("a")}, {"Status", LookupName("open")}},
                            Person("alice"));
  ASSERT_TRUE(entity.ok());
  pipeline_->Start();

  ferry::v1::GetStatusRequest request;
  request.set_integration("sync");
  ferry::v1::GetStatusResponse status;
  ASSERT_TRUE(Eventually([&] {
    status.Clear();
    return stub_->GetStatus(Context().get(), request, &status).ok() &&
           status.integrations(0).changes_written() == 1;
  }));
  EXPECT_EQ(status.integrations(0).links(), 1);
  EXPECT_EQ(status.integrations(0).open_failures(), 0);
  ASSERT_EQ(status.integrations(0).partitions_size(), 1);
  EXPECT_EQ(status.integrations(0).partitions(0).project(), "SRC");

  ferry::v1::GetLinkRequest link_request;
  link_request.set_integration("sync");
  link_request.set_entity(entity->display_key());
  ferry::v1::Link link;
  ASSERT_TRUE(stub_->GetLink(Context().get(), link_request, &link).ok());
  EXPECT_EQ(link.source_id(), entity->id());
  EXPECT_EQ(link.last_synced().at("dst/Title").text(), "a");

  ASSERT_TRUE(src->SetFields(entity->id(), {{"Title", TextValue("b")}}, Person("bob")).ok());
  ferry::v1::IntegrationRequest pause;
  pause.set_integration("sync");
  ferry::v1::IntegrationActionResponse paused;
  ASSERT_TRUE(stub_->PauseIntegration(Context().get(), pause, &paused).ok());
  EXPECT_TRUE(paused.summary().paused());

  ferry::v1::PreviewMappingRequest preview_request;
  preview_request.set_integration("sync");
  preview_request.set_entity_id(entity->id());
  ferry::v1::PreviewMappingResponse preview;
  ASSERT_TRUE(stub_->PreviewMapping(Context().get(), preview_request, &preview).ok());
  EXPECT_FALSE(preview.creating());
  EXPECT_THAT(preview.text(), HasSubstr("Title"));
  bool title_would_change = false;
  for (const auto& field : preview.fields()) {
    if (field.target_field() == "Title") {
      title_would_change = field.value().text() == "b" &&
                           field.decision().rfind("write", 0) == 0;
    }
  }
  EXPECT_TRUE(title_would_change) << preview.DebugString();

  ASSERT_TRUE(stub_->StartIntegration(Context().get(), pause, &paused).ok());
  EXPECT_FALSE(paused.summary().paused());
}

TEST_F(ControlTest, FailuresAreListedThenReprocessedOrSkipped) {
  auto src = world_.Source();
  ASSERT_TRUE(src.ok());
  // "blocked" has no entry in the status value map: the change is parked.
  auto entity = src->Create("SRC", "Task", {{"Title", TextValue("a")}, {"Status", LookupName("blocked")}},
                            Person("alice"));
  ASSERT_TRUE(entity.ok());
  pipeline_->Start();

  ferry::v1::ListFailuresRequest list;
  list.set_integration("sync");
  ferry::v1::ListFailuresResponse failures;
  ASSERT_TRUE(Eventually([&] {
    failures.Clear();
    return stub_->ListFailures(Context().get(), list, &failures).ok() &&
           failures.failures_size() == 1;
  }));
  EXPECT_THAT(failures.failures(0).error(), HasSubstr("blocked"));
  EXPECT_EQ(failures.failures(0).source_id(), entity->id());

  // Still broken: reprocessing reports it as still failing.
  ferry::v1::FailureSelector selector;
  selector.set_integration("sync");
  selector.add_ids(failures.failures(0).id());
  ferry::v1::FailureActionResponse reprocessed;
  ASSERT_TRUE(stub_->ReprocessFailures(Context().get(), selector, &reprocessed).ok());
  EXPECT_EQ(reprocessed.still_failing_size(), 1);

  ferry::v1::FailureActionResponse skipped;
  ASSERT_TRUE(stub_->SkipFailures(Context().get(), selector, &skipped).ok());
  EXPECT_EQ(skipped.affected(), 1);
  failures.Clear();
  ASSERT_TRUE(stub_->ListFailures(Context().get(), list, &failures).ok());
  EXPECT_EQ(failures.failures_size(), 0);
}

TEST_F(ControlTest, ValidateAndCheck) {
  ferry::v1::ValidateConfigRequest validate;
  validate.set_yaml("integrations:\n  - pol_interval: 5s\n");
  validate.set_file_name("bad.yaml");
  ferry::v1::ValidateConfigResponse problems;
  ASSERT_TRUE(stub_->ValidateConfig(Context().get(), validate, &problems).ok());
  // Every problem at once, in file order: the unknown field first, then
  // what the integration lacks.
  ASSERT_GE(problems.problems_size(), 2);
  EXPECT_EQ(problems.problems(0).field_path(), "integrations[0].pol_interval");
  EXPECT_EQ(problems.problems(1).field_path(), "integrations[0].name");

  ferry::v1::CheckSystemRequest check;
  check.set_system("dst");
  ferry::v1::CheckSystemResponse checked;
  ASSERT_TRUE(stub_->CheckSystem(Context().get(), check, &checked).ok());
  EXPECT_TRUE(checked.ok());
  EXPECT_THAT(checked.capabilities(), ::testing::Contains(HasSubstr("DST")));
}

TEST_F(ControlTest, ValidateRefusesNestedAliasesWithOneProblem) {
  ferry::v1::ValidateConfigRequest validate;
  validate.set_yaml(ferry::config::NestedAliasYaml());
  ferry::v1::ValidateConfigResponse problems;
  ASSERT_TRUE(stub_->ValidateConfig(Context().get(), validate, &problems).ok());
  ASSERT_EQ(problems.problems_size(), 1);
  EXPECT_EQ(problems.problems(0).fix(), "remove the aliases or split the config");
}

TEST_F(ControlTest, BackfillReadsAgainAndReportsProgress) {
  auto src = world_.Source();
  ASSERT_TRUE(src.ok());
  ASSERT_TRUE(src->Create("SRC", "Task", {{"Title", TextValue("a")}}, Person("alice")).ok());
  pipeline_->Start();
  ferry::v1::BackfillRequest request;
  request.set_integration("sync");
  request.mutable_since()->set_seconds(0);
  auto context = Context();
  auto stream = stub_->Backfill(context.get(), request);
  ferry::v1::BackfillProgress progress;
  bool done = false;
  while (stream->Read(&progress)) done = progress.done();
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_TRUE(done);
  EXPECT_GE(progress.changes_read(), 1);
  EXPECT_DOUBLE_EQ(progress.fraction(), 1.0);
}

}  // namespace
}  // namespace ferry::engine
