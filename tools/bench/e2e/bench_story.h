#pragma once

#include <cstdio>
#include <string>

#include "absl/strings/str_format.h"
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

// Prints one line of the report: `kind`'s calls per change on PagerDuty
// and on the target system (named `target`), each beside its minimum and
// their ratio ("-" where the minimum is 0), then why that is the minimum.
inline void PrintChangeCost(const ChangeKind& kind, double pd, const char* target,
                            double target_calls) {
  auto ratio = [](double value, double minimum) {
    return minimum > 0 ? absl::StrFormat("%.2f", value / minimum) : std::string("-");
  };
  std::printf("  %-22s PagerDuty %5.2f (minimum %.0f, ratio %s), %s %5.2f (minimum %.0f, "
              "ratio %s); minimum: %s\n",
              kind.name, pd, kind.pd_minimum, ratio(pd, kind.pd_minimum).c_str(), target,
              target_calls, kind.target_minimum,
              ratio(target_calls, kind.target_minimum).c_str(), kind.why);
}

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
