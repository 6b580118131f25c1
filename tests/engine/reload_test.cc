// SIGHUP reloads ferryd's config without a restart: a new integration
// starts syncing; a config with problems is refused and the running one
// goes on.
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/time/clock.h"
#include "engine/config/hostile_yaml_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/reload_world.h"
#include "tests/support/ferryd_process.h"
#include "tests/support/values.h"

namespace ferry::testing {
namespace {

TEST(ReloadTest, SighupAddsAnIntegrationAndRefusesABadConfig) {
  ReloadWorld setup("reload");
  ASSERT_TRUE(setup.ok());
  const FakeWorld& world = setup.world;
  const std::string& path = setup.path;
  fake::FakeSystem* src = &*setup.src;
  fake::FakeSystem* dst = &*setup.dst;

  FerrydProcess ferryd({"--config=" + path}, world.dir + "/ferryd.log");
  ASSERT_TRUE(ferryd.WaitStarted(absl::Seconds(30)).has_value()) << ferryd.log();
  ASSERT_TRUE(WaitForEntities(*dst, "DST", 1));

  // A config with a mistake is refused; the running one goes on.
  std::ofstream(path) << setup.WithTypo();
  ASSERT_EQ(::kill(ferryd.pid(), SIGHUP), 0);
  ASSERT_TRUE(ferryd.WaitForEvent("ferryd.reload_refused", 1, absl::Seconds(30)))
      << ferryd.log();
  ASSERT_TRUE(src->Create("SRC", "Task", {{"Title", TextValue("c")}}, Person("alice")).ok());
  EXPECT_TRUE(WaitForEntities(*dst, "DST", 2));

  // A second integration, from SRC2 to DST2, starts on reload.
  std::ofstream(path) << setup.WithSecondIntegration();
  ASSERT_EQ(::kill(ferryd.pid(), SIGHUP), 0);
  ASSERT_TRUE(ferryd.WaitForEvent("ferryd.reloaded", 1, absl::Seconds(30)))
      << ferryd.log();
  EXPECT_TRUE(WaitForEntities(*dst, "DST2", 1));
  EXPECT_TRUE(WaitForEntities(*dst, "DST", 2));  // Nothing twice.

  const int status = ferryd.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ferryd.log();
}

// SIGTERM while ferryd reads a config of nested aliases (about 40 million
// values expanded) ends it at once: the read stops at the value limit, and
// a stop that came meanwhile is honoured before anything starts.
TEST(ReloadTest, SigtermWhileReadingAHostileConfigStopsAtOnce) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  const std::string path = dir + "/aliases.yaml";
  std::ofstream(path) << config::NestedAliasYaml();
  FerrydProcess ferryd({"--config=" + path}, dir + "/aliases.log");
  // Most likely while the config is read; any moment is accepted below.
  absl::SleepFor(absl::Milliseconds(300));
  const absl::Time sent = absl::Now();
  const int status = ferryd.Stop(SIGTERM);
  EXPECT_LT(absl::Now() - sent, absl::Seconds(10));
  // Whether the signal came before main() blocked it, while the config was
  // read or after it was refused, nothing ran.
  EXPECT_TRUE(WIFSIGNALED(status) ||
              (WIFEXITED(status) && (WEXITSTATUS(status) == 0 ||
                                     WEXITSTATUS(status) == 2)))
      << status;
  std::ifstream log(ferryd.log());
  const std::string logged((std::istreambuf_iterator<char>(log)),
                           std::istreambuf_iterator<char>());
  EXPECT_THAT(logged, ::testing::Not(::testing::HasSubstr("ferryd.started")));
}

}  // namespace
}  // namespace ferry::testing
