#include "tests/support/metrics_scrape.h"

#include "absl/time/clock.h"
#include "httplib.h"

namespace ferry::testing {

std::string ScrapeUntilContains(int port, const std::vector<std::string>& expected,
                                absl::Duration timeout) {
  httplib::Client client("127.0.0.1", port);
  std::string body;
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (auto response = client.Get("/metrics"); response && response->status == 200) {
      body = response->body;
      bool all = true;
      for (const auto& text : expected) all = all && body.find(text) != std::string::npos;
      if (all) break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return body;
}

}  // namespace ferry::testing
