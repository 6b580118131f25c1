// Crash test (DESIGN.md: "a crash anywhere repeats work, never loses it").
//
// Each seeded run syncs two fake systems with a real ferryd process, kills
// it with SIGKILL at random moments while a driver keeps changing the
// source (new entities, field edits, comments), then lets a last ferryd run
// to quiescence and checks that the target equals the source exactly: every
// entity copied once, fields equal, every comment copied once.
//
// FERRY_CRASH_RUNS sets the number of runs (default 200); Bazel shards them.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

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
#include "tests/support/fake_world.h"

extern char** environ;

namespace ferry::testing {
namespace {

int CrashRuns() {
  const char* runs = std::getenv("FERRY_CRASH_RUNS");
  return runs == nullptr ? 200 : std::atoi(runs);
}

std::string FerrydPath() {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/",
                      std::getenv("TEST_WORKSPACE"), "/engine/ferryd/ferryd");
}

ferry::v1::FieldValue Text(const std::string& text) {
  ferry::v1::FieldValue value;
  value.set_text(text);
  return value;
}

ferry::v1::FieldValue Status(const std::string& name) {
  ferry::v1::FieldValue value;
  value.mutable_lookup()->set_name(name);
  return value;
}

ferry::v1::UserRef Person(const std::string& id) {
  ferry::v1::UserRef user;
  user.set_id(id);
  user.set_name(id);
  return user;
}

// How many times ferryd logged that it started.
int CountStarts(const std::string& log) {
  std::ifstream in(log);
  int starts = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find("\"event\":\"ferryd.started\"") != std::string::npos) ++starts;
  }
  return starts;
}

// A ferryd child process.
class Ferryd {
 public:
  Ferryd(const std::string& config, const std::string& log) {
    const std::string binary = FerrydPath();
    const std::string flag = "--config=" + config;
    char* argv[] = {const_cast<char*>(binary.c_str()),
                    const_cast<char*>(flag.c_str()), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int error = posix_spawn(&pid_, binary.c_str(), &actions, nullptr,
                                  argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(error, 0) << "cannot start " << binary;
  }

  // Sends `signal` and reaps the process; returns its wait status.
  int Stop(int signal) {
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    return status;
  }

 private:
  pid_t pid_ = -1;
};

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
          {{"Title", Text(absl::StrCat("task ", ++made_))},
           {"Status", Status("open")}},
          Person("alice"));
      ASSERT_TRUE(entity.ok()) << entity.status();
      ids_.push_back(entity->id());
      return;
    }
    const std::string& id = ids_[Pick(static_cast<int>(ids_.size()))];
    if (action == 1) {
      ASSERT_TRUE(system_->SetFields(id, {{"Title", Text(absl::StrCat(
                                                        "edit ", ++edits_))}},
                                     Person("bob")).ok());
    } else if (action == 2) {
      static const char* const kStatuses[] = {"open", "in_progress", "done"};
      ASSERT_TRUE(system_->SetFields(id, {{"Status", Status(kStatuses[Pick(3)])}},
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
  FakeWorld world;
  world.dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/run", seed);
  std::filesystem::remove_all(world.dir);
  std::filesystem::create_directories(world.dir);
  FakeWorld::Setenv();
  const std::string config = world.dir + "/ferry.yaml";
  std::ofstream(config) << world.ConfigYaml("0.02s");
  const std::string log = world.dir + "/ferryd.log";

  auto source = world.Source();
  ASSERT_TRUE(source.ok());
  Driver driver(&*source, &random);
  for (int i = 0; i < 5; ++i) driver.Step();

  constexpr int kKills = 3;
  for (int cycle = 0; cycle < kKills; ++cycle) {
    Ferryd ferryd(config, log);
    const absl::Time kill_at =
        absl::Now() + absl::Milliseconds(
                          std::uniform_int_distribution<int>(5, 400)(random));
    while (absl::Now() < kill_at) {
      driver.Step();
      absl::SleepFor(absl::Milliseconds(
          std::uniform_int_distribution<int>(0, 30)(random)));
    }
    const int status = ferryd.Stop(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(status)) << "ferryd ended early; see " << log;
  }

  const int started_before = CountStarts(log);
  Ferryd last(config, log);
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
  while (CountStarts(log) == started_before && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  const int status = last.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "ferryd did not stop cleanly; see " << log;
  EXPECT_THAT(differences, ::testing::IsEmpty())
      << "seed " << seed << "; ferryd's log: " << log;
  if (!HasFailure()) std::filesystem::remove_all(world.dir);
}

INSTANTIATE_TEST_SUITE_P(Seeds, CrashTest, ::testing::Range(0, CrashRuns()));

}  // namespace
}  // namespace ferry::testing
