// SIGHUP reloads a stage process as it does the embedded mode: reader,
// transformer and writer each in their own process take a new integration
// without a restart, come back on the ports they had (so the stages
// upstream reconnect), and refuse a config with problems, going on with
// the old one.
#include <signal.h>
#include <sys/wait.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/reload_world.h"
#include "tests/support/ferryd_process.h"
#include "tests/support/metrics_scrape.h"
#include "tests/support/values.h"

namespace ferry::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(StageReloadTest, SighupAddsAnIntegrationToEveryStageAndRefusesABadConfig) {
  ReloadWorld setup("stage_reload");
  ASSERT_TRUE(setup.ok());
  const FakeWorld& world = setup.world;
  const std::string& path = setup.path;
  fake::FakeSystem* src = &*setup.src;
  fake::FakeSystem* dst = &*setup.dst;

  std::vector<std::unique_ptr<FerrydProcess>> processes;
  const std::string flag = "--config=" + path;
  const nlohmann::json writer = StartFerryd(
      &processes,
      {flag, "--stage=writer", "--listen=127.0.0.1:0", "--metrics_listen=127.0.0.1:0",
       "--state_dir=" + world.dir + "/writer"},
      world.dir + "/writer.log");
  ASSERT_NE(writer.value("port", 0), 0) << world.dir << "/writer.log";
  const int transformer = StartFerryd(
      &processes,
      {flag, "--stage=transformer", "--listen=127.0.0.1:0",
       absl::StrCat("--downstream=127.0.0.1:", writer.value("port", 0))},
      world.dir + "/transformer.log").value("port", 0);
  ASSERT_NE(transformer, 0) << world.dir << "/transformer.log";
  const nlohmann::json reader = StartFerryd(
      &processes,
      {flag, "--stage=reader", absl::StrCat("--downstream=127.0.0.1:", transformer),
       "--metrics_listen=127.0.0.1:0", "--state_dir=" + world.dir + "/reader"},
      world.dir + "/reader.log");
  ASSERT_FALSE(reader.empty()) << world.dir << "/reader.log";
  ASSERT_TRUE(WaitForEntities(*dst, "DST", 1));

  // A config with a mistake is refused by every stage, naming it; the old
  // config goes on.
  std::ofstream(path) << setup.WithTypo();
  for (auto& process : processes) {
    ASSERT_EQ(::kill(process->pid(), SIGHUP), 0);
    const auto refused =
        process->WaitForEvent("ferryd.reload_refused", 1, absl::Seconds(30));
    ASSERT_TRUE(refused.has_value()) << process->log();
    EXPECT_THAT(refused->dump(), HasSubstr("pol_interval")) << process->log();
  }
  ASSERT_TRUE(src->Create("SRC", "Task", {{"Title", TextValue("c")}}, Person("alice")).ok());
  EXPECT_TRUE(WaitForEntities(*dst, "DST", 2));

  // A second integration, from SRC2 to DST2, on every stage. The reader
  // restarts first: its new integration waits for the stages downstream,
  // which then restart under its streams.
  std::ofstream(path) << setup.WithSecondIntegration();
  for (auto it = processes.rbegin(); it != processes.rend(); ++it) {
    ASSERT_EQ(::kill((*it)->pid(), SIGHUP), 0);
  }
  for (auto& process : processes) {
    ASSERT_TRUE(process->WaitForEvent("ferryd.reloaded", 1, absl::Seconds(30)))
        << process->log();
    // Started once more (the refused config started nothing), with both
    // integrations, back on the ports it had, for the stages upstream.
    const auto restarted =
        process->WaitForEvent("ferryd.started", 2, absl::Seconds(30));
    ASSERT_TRUE(restarted.has_value()) << process->log();
    EXPECT_EQ(restarted->value("integrations", 0), 2) << process->log();
    const auto started = process->WaitStarted(absl::Seconds(1));
    EXPECT_EQ(restarted->value("port", -1), started->value("port", -2));
    EXPECT_EQ(restarted->value("metrics_port", -1), started->value("metrics_port", -2));
  }
  ASSERT_TRUE(src->Create("SRC2", "Task", {{"Title", TextValue("d")}}, Person("alice")).ok());
  ASSERT_TRUE(src->Create("SRC", "Task", {{"Title", TextValue("e")}}, Person("alice")).ok());
  EXPECT_TRUE(WaitForEntities(*dst, "DST2", 2));
  EXPECT_TRUE(WaitForEntities(*dst, "DST", 3));  // Nothing twice.
  auto differences = Differences(world);
  ASSERT_TRUE(differences.ok()) << differences.status();
  EXPECT_THAT(*differences, IsEmpty());

  // The writer alone restarts under the open streams of the transformer
  // and the reader, which reconnect to it.
  FerrydProcess& writer_process = *processes.front();
  ASSERT_EQ(::kill(writer_process.pid(), SIGHUP), 0);
  ASSERT_TRUE(writer_process.WaitForEvent("ferryd.reloaded", 2, absl::Seconds(30)))
      << writer_process.log();
  ASSERT_TRUE(src->Create("SRC", "Task", {{"Title", TextValue("f")}}, Person("alice")).ok());
  EXPECT_TRUE(WaitForEntities(*dst, "DST", 4));

  // The metrics endpoints answer after the reload and know the new
  // integration.
  EXPECT_THAT(ScrapeUntilContains(writer.value("metrics_port", 0),
                                  {"ferry_changes_written_total{integration=\"sync2\"}"}),
              HasSubstr("ferry_changes_written_total{integration=\"sync2\"}"));
  EXPECT_THAT(ScrapeUntilContains(reader.value("metrics_port", 0),
                                  {"ferry_changes_read_total{integration=\"sync2\""}),
              HasSubstr("ferry_changes_read_total{integration=\"sync2\""));

  for (auto& process : processes) {
    const int status = process->Stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << process->log();
  }
}

}  // namespace
}  // namespace ferry::testing
