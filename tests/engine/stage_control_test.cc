// The control API of stage processes (--control_listen): each stage
// answers what it holds, with the bearer token of the config, and refuses
// the rest with FAILED_PRECONDITION naming the stage to ask instead.
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "engine/runtime/stages.h"
#include "proto/control.grpc.pb.h"
#include "tests/support/fake_world.h"
#include "tests/support/ferryd_process.h"
#include "tests/support/values.h"

namespace ferry::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr char kToken[] = "stage-control-secret-42";

std::unique_ptr<ferry::v1::Control::Stub> ControlStub(const nlohmann::json& started) {
  return ferry::v1::Control::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", started.value("control_port", 0)),
      grpc::InsecureChannelCredentials()));
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", std::string("Bearer ") + kToken);
  return context;
}

TEST(StageControlTest, EachStageAnswersWhatItHoldsAndNamesTheStageForTheRest) {
  const FakeWorld world = FakeWorld::Fresh("stage_control");
  ::setenv("FERRY_TEST_STAGE_TOKEN", kToken, 1);
  const std::string path = world.dir + "/ferry.yaml";
  std::ofstream(path) << absl::StrReplaceAll(
      world.ConfigYaml("0.05s"),
      {{"server:\n", "server:\n  control_token: {env: FERRY_TEST_STAGE_TOKEN}\n"}});
  auto src = world.Source();
  auto dst = world.Target();
  ASSERT_TRUE(src.ok() && dst.ok());
  auto synced = src->Create("SRC", "Task", {{"Title", TextValue("a")}, {"Status", LookupName("open")}},
                            Person("alice"));
  ASSERT_TRUE(synced.ok());
  // "blocked" has no entry in the status value map: the change is parked.
  ASSERT_TRUE(src->Create("SRC", "Task", {{"Title", TextValue("b")}, {"Status", LookupName("blocked")}},
                          Person("alice")).ok());

  std::vector<std::unique_ptr<FerrydProcess>> processes;
  const std::string flag = "--config=" + path;
  const std::string control = "--control_listen=127.0.0.1:0";
  const nlohmann::json writer_started = StartFerryd(
      &processes,
      {flag, "--stage=writer", "--listen=127.0.0.1:0", control,
       "--state_dir=" + world.dir + "/writer"},
      world.dir + "/writer.log");
  ASSERT_NE(writer_started.value("control_port", 0), 0) << world.dir << "/writer.log";
  const nlohmann::json transformer_started = StartFerryd(
      &processes,
      {flag, "--stage=transformer", "--listen=127.0.0.1:0", control,
       absl::StrCat("--downstream=127.0.0.1:", writer_started.value("port", 0))},
      world.dir + "/transformer.log");
  ASSERT_NE(transformer_started.value("control_port", 0), 0)
      << world.dir << "/transformer.log";
  const nlohmann::json reader_started = StartFerryd(
      &processes,
      {flag, "--stage=reader", control,
       absl::StrCat("--downstream=127.0.0.1:", transformer_started.value("port", 0)),
       "--state_dir=" + world.dir + "/reader"},
      world.dir + "/reader.log");
  ASSERT_NE(reader_started.value("control_port", 0), 0) << world.dir << "/reader.log";
  auto writer = ControlStub(writer_started);
  auto transformer = ControlStub(transformer_started);
  auto reader = ControlStub(reader_started);

  // The writer: failures, links and what was written.
  ferry::v1::ListFailuresRequest list;
  list.set_integration("sync");
  ferry::v1::ListFailuresResponse failures;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline && failures.failures_size() != 1) {
    failures.Clear();
    const grpc::Status listed = writer->ListFailures(Context().get(), list, &failures);
    ASSERT_TRUE(listed.ok()) << listed.error_message();
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_EQ(failures.failures_size(), 1);
  EXPECT_THAT(failures.failures(0).error(), HasSubstr("blocked"));
  ASSERT_TRUE(WaitForEntities(*dst, "DST", 1));

  ferry::v1::GetLinkRequest link_request;
  link_request.set_integration("sync");
  link_request.set_entity(synced->display_key());
  ferry::v1::Link link;
  const grpc::Status linked = writer->GetLink(Context().get(), link_request, &link);
  ASSERT_TRUE(linked.ok()) << linked.error_message();
  EXPECT_EQ(link.source_id(), synced->id());

  ferry::v1::GetStatusRequest status_request;
  status_request.set_integration("sync");
  ferry::v1::GetStatusResponse status;
  ASSERT_TRUE(writer->GetStatus(Context().get(), status_request, &status).ok());
  ASSERT_EQ(status.integrations_size(), 1);
  EXPECT_EQ(status.integrations(0).links(), 1);
  EXPECT_EQ(status.integrations(0).open_failures(), 1);
  EXPECT_EQ(status.integrations(0).partitions_size(), 0);

  ferry::v1::IntegrationRequest integration;
  integration.set_integration("sync");
  ferry::v1::IntegrationActionResponse action;
  grpc::Status refused = writer->SyncNow(Context().get(), integration, &action);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(),
              AllOf(HasSubstr("writer stage"), HasSubstr("sync-now"),
                    HasSubstr("reader stage's --control_listen")));
  grpc::ClientContext no_token;
  EXPECT_EQ(writer->ListFailures(&no_token, list, &failures).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // The reader: its partitions, sync-now, pause and resume.
  status.Clear();
  ASSERT_TRUE(reader->GetStatus(Context().get(), status_request, &status).ok());
  ASSERT_EQ(status.integrations_size(), 1);
  ASSERT_EQ(status.integrations(0).partitions_size(), 1);
  EXPECT_EQ(status.integrations(0).partitions(0).project(), "SRC");
  EXPECT_TRUE(status.integrations(0).partitions(0).has_last_poll());
  EXPECT_TRUE(reader->SyncNow(Context().get(), integration, &action).ok());
  ASSERT_TRUE(reader->PauseIntegration(Context().get(), integration, &action).ok());
  EXPECT_TRUE(action.summary().paused());
  ASSERT_TRUE(reader->StartIntegration(Context().get(), integration, &action).ok());
  EXPECT_FALSE(action.summary().paused());
  refused = reader->ListFailures(Context().get(), list, &failures);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(),
              AllOf(HasSubstr("reader stage"), HasSubstr("failures list"),
                    HasSubstr("writer stage")));

  // The transformer talks to no system.
  ferry::v1::CheckSystemRequest check;
  check.set_system("src");
  ferry::v1::CheckSystemResponse checked;
  refused = transformer->CheckSystem(Context().get(), check, &checked);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("transformer stage"));

  for (auto& process : processes) {
    const int code = process->Stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(code) && WEXITSTATUS(code) == 0) << process->log();
  }
}

// A config that is valid but cannot start (here a system whose directory
// cannot be made) is given up on reload: the stage starts again with the
// config it ran, on the same ports.
TEST(StageControlTest, AReloadThatCannotStartFallsBackToTheRunningConfig) {
  const FakeWorld world = FakeWorld::Fresh("stage_control_fallback");
  ::setenv("FERRY_TEST_STAGE_TOKEN", kToken, 1);
  const std::string path = world.dir + "/ferry.yaml";
  const std::string first = absl::StrReplaceAll(
      world.ConfigYaml("0.05s"),
      {{"server:\n", "server:\n  control_token: {env: FERRY_TEST_STAGE_TOKEN}\n"}});
  std::ofstream(path) << first;
  std::vector<std::unique_ptr<FerrydProcess>> processes;
  const nlohmann::json started = StartFerryd(
      &processes,
      {"--config=" + path, "--stage=writer", "--listen=127.0.0.1:0",
       "--control_listen=127.0.0.1:0", "--state_dir=" + world.dir + "/writer"},
      world.dir + "/writer.log");
  ASSERT_NE(started.value("control_port", 0), 0) << world.dir << "/writer.log";
  FerrydProcess& writer = *processes.front();

  // Valid, but the target system's directory cannot be created. (A TLS
  // file that does not load no longer serves: validation loads the TLS
  // files, so such a config is refused before anything is stopped.)
  const std::string unusable = "/dev/null/ferry-dst";
  std::ofstream(path) << absl::StrReplaceAll(
      first, {{"file://" + world.dir + "/dst", "file://" + unusable}});
  ASSERT_EQ(::kill(writer.pid(), SIGHUP), 0);
  const auto failed = writer.WaitForEvent("ferryd.reload_failed", 1, absl::Seconds(30));
  ASSERT_TRUE(failed.has_value()) << writer.log();
  EXPECT_THAT(failed->value("error", ""), HasSubstr(unusable));
  const auto restarted = writer.WaitForEvent("ferryd.started", 2, absl::Seconds(30));
  ASSERT_TRUE(restarted.has_value()) << writer.log();
  EXPECT_EQ(restarted->value("port", -1), started.value("port", -2));
  EXPECT_EQ(restarted->value("control_port", -1), started.value("control_port", -2));

  // The old config answers on the same port.
  ferry::v1::ListIntegrationsResponse integrations;
  const grpc::Status listed = ControlStub(started)->ListIntegrations(
      Context().get(), ferry::v1::ListIntegrationsRequest(), &integrations);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  ASSERT_EQ(integrations.integrations_size(), 1);
  EXPECT_EQ(integrations.integrations(0).name(), "sync");

  const int code = writer.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(code) && WEXITSTATUS(code) == 0) << writer.log();
}

// The control API can backfill and skip failures: beyond loopback it
// needs the config's token, in a stage (--control_listen) as in the
// embedded process (server.control_listen); the started line says whether
// it requires one.
TEST(StageControlTest, ControlBeyondLoopbackNeedsAToken) {
  const FakeWorld world = FakeWorld::Fresh("stage_control_exposed");
  ::setenv("FERRY_TEST_STAGE_TOKEN", kToken, 1);
  const std::string open_path = world.dir + "/open.yaml";
  std::ofstream(open_path) << world.ConfigYaml("0.05s");
  const std::string token_path = world.dir + "/token.yaml";
  std::ofstream(token_path) << absl::StrReplaceAll(
      world.ConfigYaml("0.05s"),
      {{"server:\n", "server:\n  control_token: {env: FERRY_TEST_STAGE_TOKEN}\n"}});
  const auto writer = [&](const std::string& config, const std::string& listen,
                          const std::string& name) {
    return std::make_unique<FerrydProcess>(
        std::vector<std::string>{"--config=" + config, "--stage=writer",
                                 "--listen=127.0.0.1:0", "--control_listen=" + listen,
                                 "--state_dir=" + world.dir + "/" + name},
        world.dir + "/" + name + ".log");
  };

  auto refused = writer(open_path, "0.0.0.0:0", "refused");
  const auto failed = refused->WaitForEvent("ferryd.start_failed", 1, absl::Seconds(30));
  ASSERT_TRUE(failed.has_value()) << refused->log();
  EXPECT_THAT(failed->value("error", ""),
              AllOf(HasSubstr("the control API on 0.0.0.0:0"),
                    HasSubstr("set server.control_token, or listen on 127.0.0.1")));

  auto loopback = writer(open_path, "127.0.0.1:0", "loopback");
  const auto open = loopback->WaitStarted(absl::Seconds(30));
  ASSERT_TRUE(open.has_value()) << loopback->log();
  EXPECT_EQ(open->value("control_token_required", true), false);

  auto guarded = writer(token_path, "0.0.0.0:0", "guarded");
  const auto required = guarded->WaitStarted(absl::Seconds(30));
  ASSERT_TRUE(required.has_value()) << guarded->log();
  EXPECT_EQ(required->value("control_token_required", false), true);

  // Embedded, the config's own address is a validation problem: nothing starts.
  const std::string exposed_path = world.dir + "/exposed.yaml";
  std::ofstream(exposed_path) << absl::StrReplaceAll(
      world.ConfigYaml("0.05s"), {{"control_listen: 127.0.0.1:0", "control_listen: 0.0.0.0:0"}});
  FerrydProcess embedded({"--config=" + exposed_path}, world.dir + "/embedded.log");
  const int code = embedded.Stop(0);
  EXPECT_TRUE(WIFEXITED(code) && WEXITSTATUS(code) == 2) << embedded.log();
  std::ifstream log(world.dir + "/embedded.log");
  const std::string printed((std::istreambuf_iterator<char>(log)), {});
  EXPECT_THAT(printed, AllOf(HasSubstr("server.control_listen: the control API on 0.0.0.0:0"),
                             HasSubstr("Fix: set server.control_token")));

  for (auto* process : {loopback.get(), guarded.get()}) {
    const int stopped = process->Stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(stopped) && WEXITSTATUS(stopped) == 0) << process->log();
  }
}

TEST(StageControlTest, AWriterShardNamesTheShardThatOwnsAnIntegration) {
  const FakeWorld world = FakeWorld::Fresh("stage_control_shard");
  ::setenv("FERRY_TEST_STAGE_TOKEN", kToken, 1);
  const std::string path = world.dir + "/ferry.yaml";
  std::ofstream(path) << absl::StrReplaceAll(
      world.ConfigYaml("0.05s"),
      {{"server:\n", "server:\n  control_token: {env: FERRY_TEST_STAGE_TOKEN}\n"}});
  const int owner = engine::ShardOf("sync", 2);
  std::vector<std::unique_ptr<FerrydProcess>> processes;
  const nlohmann::json started = StartFerryd(
      &processes,
      {"--config=" + path, "--stage=writer", "--listen=127.0.0.1:0",
       "--control_listen=127.0.0.1:0", absl::StrCat("--shard=", 1 - owner),
       "--shards=2", "--state_dir=" + world.dir + "/writer"},
      world.dir + "/writer.log");
  ASSERT_NE(started.value("control_port", 0), 0) << world.dir << "/writer.log";
  auto writer = ControlStub(started);

  // Not an empty answer, which would read as "no failures": the shard to ask.
  ferry::v1::ListFailuresRequest list;
  list.set_integration("sync");
  ferry::v1::ListFailuresResponse failures;
  grpc::Status refused = writer->ListFailures(Context().get(), list, &failures);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(),
              AllOf(HasSubstr("'sync'"), HasSubstr(absl::StrCat("writer shard ", owner, " of 2")),
                    HasSubstr("failures list")));
  ferry::v1::GetLinkRequest link_request;
  link_request.set_integration("sync");
  link_request.set_entity("SRC-1");
  ferry::v1::Link link;
  refused = writer->GetLink(Context().get(), link_request, &link);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr(absl::StrCat("writer shard ", owner)));
  ferry::v1::FailureSelector selector;
  selector.set_integration("sync");
  ferry::v1::FailureActionResponse acted;
  refused = writer->SkipFailures(Context().get(), selector, &acted);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  for (auto& process : processes) {
    const int code = process->Stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(code) && WEXITSTATUS(code) == 0) << process->log();
  }
}

}  // namespace
}  // namespace ferry::testing
