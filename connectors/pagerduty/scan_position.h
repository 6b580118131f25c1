#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/entity.pb.h"

namespace ferry::pagerduty {

// How far a PdReader has read the log: a horizon time, the last log entry
// id, and the log entries already seen near the horizon (within the
// reader's overlap), which a re-read of the overlap must drop. Travels in
// SourcePosition: time = horizon, tie_breaker = last id, cursor = the seen
// entries as "<unix seconds> <id>" lines. A plain value.
struct ScanPosition {
  absl::Time horizon = absl::UnixEpoch();
  std::string last_id;
  // Log entry id -> its time.
  std::map<std::string, absl::Time> seen;

  // Records `id` at `time`; moves the horizon forward to `time`.
  void See(const std::string& id, absl::Time time);
  // Forgets entries older than `horizon - overlap`.
  void Prune(absl::Duration overlap);

  ferry::v1::SourcePosition ToPosition() const;
  // INVALID_ARGUMENT when the cursor is not one this code wrote.
  static absl::StatusOr<ScanPosition> FromPosition(
      const ferry::v1::SourcePosition& position);
};

}  // namespace ferry::pagerduty
