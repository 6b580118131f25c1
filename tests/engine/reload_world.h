#pragma once

#include <optional>
#include <string>

#include "connectors/fake/fake_system.h"
#include "tests/support/fake_world.h"

namespace ferry::testing {

// What the reload tests (embedded and one process per stage) start from:
// a FakeWorld whose config file syncs SRC to DST every 0.05 s, with one
// task in SRC and one in SRC2, a project only the second integration of
// WithSecondIntegration() reads. Failures are reported to gtest; check
// ok() before use.
struct ReloadWorld {
  explicit ReloadWorld(const std::string& name);

  bool ok() const { return src.has_value() && dst.has_value(); }
  // The first config with a mistake ferryd must refuse: "pol_interval".
  std::string WithTypo() const;
  // The first config plus integration "sync2", from SRC2 to DST2.
  std::string WithSecondIntegration() const;

  FakeWorld world;
  std::string path;   // The config file ferryd reads.
  std::string first;  // What it holds at first.
  std::optional<fake::FakeSystem> src;
  std::optional<fake::FakeSystem> dst;
};

}  // namespace ferry::testing
