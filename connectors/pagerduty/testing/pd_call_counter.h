#pragma once

#include <atomic>

#include "http/http_observer.h"

namespace ferry::pagerduty {

// Counts HTTP attempts (API calls, retries included), for tests that pin
// what reading costs. Thread-safe.
class CallCounter : public http::HttpObserver {
 public:
  void OnAttempt(const http::HttpAttempt&) override { calls_.fetch_add(1); }
  // The attempts since the last Take.
  int Take() { return calls_.exchange(0); }

 private:
  std::atomic<int> calls_{0};
};

}  // namespace ferry::pagerduty
