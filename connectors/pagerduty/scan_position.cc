#include "connectors/pagerduty/scan_position.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"

namespace ferry::pagerduty {

void ScanPosition::See(const std::string& id, absl::Time time) {
  seen[id] = time;
  last_id = id;
  horizon = std::max(horizon, time);
}

void ScanPosition::Prune(absl::Duration overlap) {
  for (auto it = seen.begin(); it != seen.end();) {
    it = it->second < horizon - overlap ? seen.erase(it) : std::next(it);
  }
}

ferry::v1::SourcePosition ScanPosition::ToPosition() const {
  ferry::v1::SourcePosition position;
  *position.mutable_time() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(horizon));
  position.set_tie_breaker(last_id);
  std::string cursor;
  for (const auto& [id, time] : seen) {
    absl::StrAppend(&cursor, absl::ToUnixSeconds(time), " ", id, "\n");
  }
  position.set_cursor(cursor);
  return position;
}

absl::StatusOr<ScanPosition> ScanPosition::FromPosition(
    const ferry::v1::SourcePosition& position) {
  ScanPosition scan;
  scan.horizon = absl::FromUnixSeconds(position.time().seconds());
  scan.last_id = position.tie_breaker();
  for (absl::string_view line : absl::StrSplit(position.cursor(), '\n', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(line, absl::MaxSplits(' ', 1));
    int64_t seconds = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &seconds) || parts[1].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "PagerDuty reader checkpoint has a malformed cursor line '", line,
          "'; rewind the partition to a time to start over"));
    }
    scan.seen[parts[1]] = absl::FromUnixSeconds(seconds);
  }
  return scan;
}

}  // namespace ferry::pagerduty
