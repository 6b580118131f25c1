#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace ferry::testing {

// Scrapes http://127.0.0.1:`port`/metrics every 50 ms until the body
// contains every one of `expected`, or `timeout` passes; returns the last
// body (empty when no scrape answered), for the test to assert on.
std::string ScrapeUntilContains(int port, const std::vector<std::string>& expected,
                                absl::Duration timeout = absl::Seconds(30));

}  // namespace ferry::testing
