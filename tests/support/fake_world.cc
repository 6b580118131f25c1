#include "tests/support/fake_world.h"

#include <cstdlib>
#include <filesystem>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "engine/config/loader.h"

namespace ferry::testing {
namespace {

constexpr char kTemplate[] = R"(
systems:
  - {name: src, kind: fake, url: "file://@DIR@/src", token: {env: FERRY_FAKE_TOKEN}, user_email: ferry}
  - {name: dst, kind: fake, url: "file://@DIR@/dst", token: {env: FERRY_FAKE_TOKEN}, user_email: ferry}
mappings:
  - name: tasks
    source_type: Task
    target_type: Task
    fields:
      - {source: Title, target: Title, direction: BOTH}
      - source: Status
        target: Status
        direction: BOTH
        value_map: {values: {open: open, in_progress: in_progress, done: done}}
    comments: {direction: BOTH, template: "@Body@"}
integrations:
  - name: sync
    source: {system: src, projects: [SRC]}
    target: {system: dst, projects: [DST]}
    mapping: tasks
    direction: @DIRECTION@
    poll_interval: @POLL@
    # Tasks a test makes before ferryd first starts are synced too.
    start_time: 2000-01-01T00:00:00Z
    retry: {max_attempts: 1000, initial_backoff: 0.05s, max_backoff: 0.2s}
server:
  state_dir: "@DIR@/state"
  control_listen: 127.0.0.1:0
  metrics_listen: 127.0.0.1:0
)";

// A comment's text as Ferry copies it, for matching copies to originals.
std::string Normalise(const std::string& body) {
  return std::string(absl::StripAsciiWhitespace(body));
}

}  // namespace

FakeWorld FakeWorld::Fresh(const std::string& name, bool both_ways) {
  FakeWorld world;
  world.dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
  world.both_ways = both_ways;
  std::filesystem::remove_all(world.dir);
  std::filesystem::create_directories(world.dir);
  Setenv();
  return world;
}

std::string FakeWorld::ConfigYaml(const std::string& poll_interval) const {
  return absl::StrReplaceAll(
      kTemplate, {{"@DIR@", dir},
                  {"@DIRECTION@", both_ways ? "BOTH" : "FORWARD"},
                  {"@POLL@", poll_interval}});
}

absl::StatusOr<ferry::v1::FerryConfig> FakeWorld::Config(
    const std::string& poll_interval) const {
  config::ValidationOptions options;
  options.system_kinds = {"fake"};
  auto loaded =
      config::LoadConfigText(ConfigYaml(poll_interval), "fake.yaml", options);
  if (!loaded.ok()) {
    return absl::InvalidArgumentError(
        config::FormatProblem(loaded.problems.front()));
  }
  return loaded.config;
}

void FakeWorld::Setenv() { ::setenv("FERRY_FAKE_TOKEN", "fake-token", 1); }

absl::StatusOr<fake::FakeSystem> FakeWorld::Source() const {
  return fake::FakeSystem::Open(dir + "/src");
}

absl::StatusOr<fake::FakeSystem> FakeWorld::Target() const {
  return fake::FakeSystem::Open(dir + "/dst");
}

absl::StatusOr<std::vector<std::string>> Differences(const FakeWorld& world) {
  auto src = world.Source();
  auto dst = world.Target();
  if (!src.ok()) return src.status();
  if (!dst.ok()) return dst.status();
  auto originals = src->ChangedAfter("SRC", 0);
  auto copies = dst->ChangedAfter("DST", 0);
  if (!originals.ok()) return originals.status();
  if (!copies.ok()) return copies.status();

  // Copies by the source id in their origin marker ("ferry:sync:src:F12").
  std::map<std::string, std::vector<const fake::FakeEntity*>> copies_of;
  for (const auto& copy : *copies) {
    const std::string prefix = "ferry:sync:src:";
    if (absl::StartsWith(copy.origin(), prefix)) {
      copies_of[copy.origin().substr(prefix.size())].push_back(&copy);
    }
  }
  std::vector<std::string> differences;
  for (const auto& original : *originals) {
    const auto& entity = original.entity();
    const auto& found = copies_of[entity.id()];
    if (found.size() != 1) {
      differences.push_back(absl::StrCat(entity.id(), " has ", found.size(),
                                         " copies"));
      continue;
    }
    const auto& copy = found.front()->entity();
    for (const char* field : {"Title", "Status"}) {
      auto a = entity.fields().find(field);
      auto b = copy.fields().find(field);
      const std::string left = a == entity.fields().end() ? "" : a->second.ShortDebugString();
      const std::string right = b == copy.fields().end() ? "" : b->second.ShortDebugString();
      if (left != right) {
        differences.push_back(absl::StrCat(entity.id(), ".", field, ": '",
                                           left, "' vs '", right, "'"));
      }
    }
    std::map<std::string, int> copied;
    for (const auto& comment : copy.comments()) {
      ++copied[Normalise(comment.body())];
    }
    for (const auto& comment : entity.comments()) {
      if (comment.author().id() == "ferry") continue;
      const int count = copied[Normalise(comment.body())];
      if (count != 1) {
        differences.push_back(absl::StrCat(entity.id(), " comment '",
                                           comment.body(), "' copied ", count,
                                           " times"));
      }
    }
  }
  return differences;
}

bool WaitForEntities(const fake::FakeSystem& system, const std::string& project,
                     size_t count, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    auto entities = system.ChangedAfter(project, 0);
    if (entities.ok() && entities->size() == count) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

}  // namespace ferry::testing
