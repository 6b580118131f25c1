#pragma once

#include <atomic>

#include "http/http_message.h"
#include "http/http_observer.h"

namespace ferry::http::testing {

// Counts the HTTP attempts a client makes (retries included), reads and
// writes apart, for tests that pin what an operation costs in API calls.
// Hand it to a client as its observer (HttpClientOptions::observer, or a
// connector's ConnectorContext::http_observer). Thread-safe.
class CallCounter : public HttpObserver {
 public:
  struct Calls {
    int reads = 0;   // GET, HEAD
    int writes = 0;  // POST, PUT, PATCH, DELETE
    int total() const { return reads + writes; }
  };

  void OnAttempt(const HttpAttempt& attempt) override {
    const bool read = attempt.method == HttpMethod::kGet || attempt.method == HttpMethod::kHead;
    (read ? reads_ : writes_).fetch_add(1);
  }

  // The attempts since the last Take.
  Calls Take() { return {reads_.exchange(0), writes_.exchange(0)}; }

 private:
  std::atomic<int> reads_{0};
  std::atomic<int> writes_{0};
};

}  // namespace ferry::http::testing
