#pragma once

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/entity.pb.h"

namespace ferry::pagerduty {

// How far a PdReader has read the log: a horizon time, the last log entry
// id, the log entries already seen near the horizon (within the reader's
// overlap, or since reread_from), which a re-read of the overlap must drop,
// and where such a re-read must start when that is before the overlap.
// Travels in SourcePosition: time = horizon, tie_breaker = last id, cursor =
// the seen entries as "<unix seconds> <id>" lines, and reread_from as the
// line "<unix seconds> ~reread" (a line older readers take for an entry id
// no log entry has). A plain value.
struct ScanPosition {
  absl::Time horizon = absl::UnixEpoch();
  std::string last_id;
  // Log entry id -> its time.
  std::map<std::string, absl::Time> seen;
  // Set while entries since this time were read only by reads that looked
  // back a few seconds, not the whole overlap: a read of the overlap must
  // start here.
  std::optional<absl::Time> reread_from;

  // Records `id` at `time`; moves the horizon forward to `time`.
  void See(const std::string& id, absl::Time time);
  // Where a read that covers the overlap starts: `horizon - overlap`, or
  // reread_from when that is earlier.
  absl::Time LookFrom(absl::Duration overlap) const;
  // Forgets entries older than LookFrom(overlap).
  void Prune(absl::Duration overlap);

  ferry::v1::SourcePosition ToPosition() const;
  // INVALID_ARGUMENT when the cursor is not one this code wrote.
  static absl::StatusOr<ScanPosition> FromPosition(
      const ferry::v1::SourcePosition& position);
};

}  // namespace ferry::pagerduty
