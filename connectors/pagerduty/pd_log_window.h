#pragma once

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "connectors/pagerduty/pd_api.h"
#include "nlohmann/json.hpp"

namespace ferry::pagerduty {

// Reads since/until windows of PagerDuty's account-wide log (PagerDuty REST
// API: List log entries), each narrowed until it holds at most
// `window_entries`, so no request passes the 10,000 offset cap and a
// reader holds a bounded number of entries; and learns from each window's
// density how wide the next one should start. Thread-compatible.
class LogWindowReader {
 public:
  // `max_window` bounds every window (PagerDuty allows up to 6 months).
  LogWindowReader(std::shared_ptr<const PdApi> api, int window_entries,
                  absl::Duration max_window);

  // The width the next window starts with: what would hold three quarters
  // of window_entries at the density of the last window read (max_window
  // before any), so a busy stretch is not narrowed down from max_window for
  // every window and a steady one needs no narrowing.
  absl::Duration width() const { return width_; }
  // Takes the width another reader learned from reading the same window
  // (a catch-up shared through AccountLog), so the next window is the one
  // that reader asks for next too.
  void Learn(absl::Duration width) { width_ = width; }

  // The entries of [since, *until), oldest first (ties by id), each once.
  // One request asks for the total; a window holding more than
  // window_entries costs that request and is narrowed at once by its
  // density (lowering *until, to no less than a second), not halved a
  // request at a time. Then one request per 100 entries, newest first:
  // entries logged meanwhile shift the pages, so some are read twice
  // (dropped), none skipped. Requests go with `priority`.
  // FAILED_PRECONDITION when more entries than the offset cap share one
  // second; PdApi's errors; INVALID_ARGUMENT for an entry without a valid
  // created_at.
  absl::StatusOr<std::vector<nlohmann::json>> Read(absl::Time since, absl::Time* until,
                                                   http::RequestPriority priority);

 private:
  // The entries of [since, until), known to hold `first`'s total.
  absl::StatusOr<std::vector<nlohmann::json>> ReadAll(const QueryParams& window,
                                                      ListPage first,
                                                      http::RequestPriority priority) const;

  std::shared_ptr<const PdApi> api_;
  const int window_entries_;
  const absl::Duration max_window_;
  absl::Duration width_;
};

}  // namespace ferry::pagerduty
