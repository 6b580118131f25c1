#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/btree_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/entity.pb.h"

namespace ferry::servicenow {

// One version of a ServiceNow record as a poll sees it: ServiceNow stamps
// sys_updated_on to the second and counts every update in sys_mod_count,
// so (sys_id, sys_mod_count) names a version exactly.
struct RecordVersion {
  absl::Time updated;  // sys_updated_on, a whole second (UTC)
  std::string sys_id;
  int64_t mod_count = 0;  // sys_mod_count
};

// Where a ServiceNow reader is: the second it has read up to, and which
// versions of that second it has already reported (or skipped). Polls
// overlap that second (`sys_updated_on>=` it), because a record can be
// updated again within the second after a poll read it; Seen() is how a
// poll drops what it already reported and keeps what is new.
//
// As a SourcePosition (the checkpoint), a mark is:
//   time         the second;
//   tie_breaker  "<9-digit count of versions of the second>/<sys_id>/<mod>",
//                so positions of one second increase with each version
//                and positions of a later second are later;
//   cursor       the versions of the second, "sys_id:mod" lines, sorted,
//                so a restart drops exactly what was reported before.
// A position with no cursor (the integration's start, a backfill's time)
// has seen nothing of its second: the whole second is read.
//
// Plain value; not thread-safe.
class ReadMark {
 public:
  // The mark at `position` (whose time is floored to its second), or at
  // the epoch when there is none. INVALID_ARGUMENT, naming the fix, when
  // the position's tie-breaker or cursor is not one a ServiceNow reader
  // wrote.
  static absl::StatusOr<ReadMark> FromPosition(
      const std::optional<ferry::v1::SourcePosition>& position);

  // The second polls start from (inclusive).
  absl::Time second() const { return second_; }

  // True when `version` was reported (or skipped) at or before this mark:
  // an earlier second, or this second at a sys_mod_count not above the
  // one seen.
  bool Seen(const RecordVersion& version) const;

  // The sys_mod_count seen of `sys_id` in this mark's second, if any.
  std::optional<int64_t> SeenModCount(const std::string& sys_id) const;

  // Marks `version` seen and returns its position, which is after every
  // position this mark returned or started from. `version` must not be
  // Seen() and must not be before second().
  ferry::v1::SourcePosition Advance(const RecordVersion& version);

 private:
  ReadMark() = default;

  absl::Time second_ = absl::UnixEpoch();
  int64_t count_ = 0;  // versions of second_ reported or skipped
  absl::btree_map<std::string, int64_t> seen_;  // sys_id -> sys_mod_count
};

}  // namespace ferry::servicenow
