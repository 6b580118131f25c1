// Crash test: a crash anywhere repeats work, never loses or doubles it
// (docs/architecture.md, "The crash protocol").
//
// Each seeded run syncs two fake systems with a real ferryd process, kills
// it with SIGKILL at random moments while a driver keeps changing the
// source (new entities, field edits, comments), then lets a last ferryd run
// to quiescence and checks that the target equals the source exactly: every
// entity copied once, fields equal, every comment copied once.
//
// FERRY_CRASH_RUNS sets the number of runs (default 200) and
// FERRY_CRASH_SEED the first seed (default 0); Bazel shards them. More on
// demand: bazel test //tests/crash --test_env=FERRY_CRASH_SEED=200
//           --test_env=FERRY_CRASH_RUNS=1000
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/values.h"
#include "tests/support/fake_world.h"
#include "tests/support/ferryd_process.h"

namespace ferry::testing {
namespace {

using ::ferry::testing::LookupName;
using ::ferry::testing::Person;
using ::ferry::testing::TextValue;

int EnvInt(const char* name, int default_value) {
  const char* value = std::getenv(name);
  return value == nullptr ? default_value : std::atoi(value);
}




// Plays a person on the source: each call makes one random change.
class Driver {
 public:
  Driver(fake::FakeSystem* system, std::mt19937* random)
      : system_(system), random_(random) {}

  void Step() {
    const int action = Pick(ids_.empty() ? 1 : 4);
    if (action == 0) {
      auto entity = system_->Create(
          "SRC", "Task",
          {{"Title", TextValue(absl::StrCat("task ", ++made_))},
           {"Status", LookupName("open")}},
          Person("alice"));
      ASSERT_TRUE(entity.ok()) << entity.status();
      ids_.push_back(entity->id());
      return;
    }
    const std::string& id = ids_[Pick(static_cast<int>(ids_.size()))];
    if (action == 1) {
      ASSERT_TRUE(system_->SetFields(id, {{"Title", TextValue(absl::StrCat(
                                                        "edit ", ++edits_))}},
                                     Person("bob")).ok());
    } else if (action == 2) {
      static const char* const kStatuses[] = {"open", "in_progress", "done"};
      ASSERT_TRUE(system_->SetFields(id, {{"Status", LookupName(kStatuses[Pick(3)])}},
                                     Person("bob")).ok());
    } else {
      ASSERT_TRUE(system_->AddComment(id, absl::StrCat("comment ", ++comments_),
                                      Person("carol")).ok());
    }
  }

 private:
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(*random_); }

  fake::FakeSystem* system_;
  std::mt19937* random_;
  std::vector<std::string> ids_;
  int made_ = 0, edits_ = 0, comments_ = 0;
};

class CrashTest : public ::testing::TestWithParam<int> {};

TEST_P(CrashTest, KilledAtRandomNothingLostNothingTwice) {
  const int seed = GetParam();
  std::mt19937 random(seed);
  const FakeWorld world = FakeWorld::Fresh(absl::StrCat("run", seed));
  const std::string config = world.dir + "/ferry.yaml";
  std::ofstream(config) << world.ConfigYaml("0.02s");

  auto source = world.Source();
  ASSERT_TRUE(source.ok());
  Driver driver(&*source, &random);
  for (int i = 0; i < 5; ++i) driver.Step();

  constexpr int kKills = 3;
  const std::vector<std::string> args = {"--config=" + config};
  for (int cycle = 0; cycle < kKills; ++cycle) {
    FerrydProcess ferryd(args, absl::StrCat(world.dir, "/ferryd", cycle, ".log"));
    const absl::Time kill_at =
        absl::Now() + absl::Milliseconds(
                          std::uniform_int_distribution<int>(5, 400)(random));
    while (absl::Now() < kill_at) {
      driver.Step();
      absl::SleepFor(absl::Milliseconds(
          std::uniform_int_distribution<int>(0, 30)(random)));
    }
    const int status = ferryd.Stop(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(status)) << "ferryd ended early; see " << ferryd.log();
  }

  FerrydProcess last(args, world.dir + "/ferryd-last.log");
  std::vector<std::string> differences;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    auto found = Differences(world);
    ASSERT_TRUE(found.ok()) << found.status();
    differences = *found;
    if (differences.empty()) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  // Stop it only once it is up: a clean stop is part of the test.
  ASSERT_TRUE(last.WaitStarted(absl::Seconds(30)).has_value()) << last.log();
  const int status = last.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "ferryd did not stop cleanly; see " << last.log();
  EXPECT_THAT(differences, ::testing::IsEmpty())
      << "seed " << seed << "; ferryd's logs are in " << world.dir;
  if (!HasFailure()) std::filesystem::remove_all(world.dir);
}

INSTANTIATE_TEST_SUITE_P(
    Seeds, CrashTest,
    ::testing::Range(EnvInt("FERRY_CRASH_SEED", 0),
                     EnvInt("FERRY_CRASH_SEED", 0) + EnvInt("FERRY_CRASH_RUNS", 200)));

}  // namespace
}  // namespace ferry::testing
