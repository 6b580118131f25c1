#pragma once

#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"

namespace ferry::deploy {

// What the deploy tests check the manifests and the dashboard against,
// taken from the real ferryd binary of the test's runfiles (data
// dependency //engine/ferryd) rather than from a list kept by hand.
// Test-only: both read TEST_SRCDIR/TEST_WORKSPACE and TEST_TMPDIR.

// Every flag name ferryd accepts ("config", "stage", ...), from the output
// of `ferryd --helpfull`. Fails when the binary cannot run or prints no
// flags.
absl::StatusOr<std::set<std::string>> FerrydFlags();

// Every metric family an embedded ferryd exports, name -> Prometheus type
// ("counter", "gauge", "histogram", ...), from its `# TYPE` lines. Starts
// ferryd on a config of two fake systems with one entity to sync plus a
// PagerDuty system that refuses connections (so the API request families
// have series), scrapes /metrics until the writer's and the API families
// appear, then stops it. Fails
// (with ferryd's log) when ferryd does not start or never shows them.
absl::StatusOr<std::map<std::string, std::string>> ScrapedMetricFamilies();

}  // namespace ferry::deploy
