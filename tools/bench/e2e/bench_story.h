#pragma once

#include "absl/time/clock.h"
#include "absl/time/time.h"

// What the end-to-end benchmarks (e2e_bench.cc for Jira, sn_bench.cc for
// ServiceNow) share about the changes they play one at a time.
namespace ferry::bench {

// One kind of change, made as a person, and the fewest calls Ferry can
// sync it with on each side beyond the polls' own reads (an idle cost,
// measured apart).
struct ChangeKind {
  const char* name;
  double pd_minimum;
  double target_minimum;  // Jira or ServiceNow
  const char* why;
};

// Waits until `done()` holds, checking every millisecond; false when it
// did not within `limit`.
template <typename Condition>
bool WaitFor(Condition done, absl::Duration limit = absl::Minutes(2)) {
  const absl::Time deadline = absl::Now() + limit;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

}  // namespace ferry::bench
