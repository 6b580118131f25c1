#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "connectors/fake/fake_system.h"
#include "proto/config.pb.h"

namespace ferry::testing {

// Two fake systems, "src" and "dst", in one directory, and the config that
// syncs them: Title, Status (open/in_progress/done) and comments, from the
// SRC project to the DST project, one way or both ways. What the engine's
// integration, crash and benchmark suites share.
struct FakeWorld {
  std::string dir;
  bool both_ways = false;

  // A fresh world in $TEST_TMPDIR/`name` (emptied first), with the token
  // variable set.
  static FakeWorld Fresh(const std::string& name, bool both_ways = false);

  // The YAML config; the systems' tokens come from FERRY_FAKE_TOKEN, which
  // Setenv() sets. Its start_time lies in 2000, so tasks a test makes
  // before ferryd first starts are synced.
  std::string ConfigYaml(const std::string& poll_interval = "0.05s") const;
  absl::StatusOr<ferry::v1::FerryConfig> Config(
      const std::string& poll_interval = "0.05s") const;
  static void Setenv();

  absl::StatusOr<fake::FakeSystem> Source() const;
  absl::StatusOr<fake::FakeSystem> Target() const;
};

// Every way the target differs from the source: a source entity with no
// copy or with several, a copy whose Title or Status differs, a source
// comment missing or posted more than once. Empty when in step. The
// integration user's own records ("ferry") are copies, not originals.
absl::StatusOr<std::vector<std::string>> Differences(const FakeWorld& world);

// Waits until `project` of `system` holds exactly `count` entities; false
// when it did not within `timeout`.
bool WaitForEntities(const fake::FakeSystem& system, const std::string& project,
                     size_t count, absl::Duration timeout = absl::Seconds(30));

}  // namespace ferry::testing
