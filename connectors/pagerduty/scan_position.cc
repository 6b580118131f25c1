#include "connectors/pagerduty/scan_position.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"

namespace ferry::pagerduty {
namespace {

// The cursor line's id for reread_from; PagerDuty ids have no '~'.
constexpr char kRereadLine[] = "~reread";

}  // namespace

void ScanPosition::See(const std::string& id, absl::Time time) {
  seen[id] = time;
  last_id = id;
  horizon = std::max(horizon, time);
}

absl::Time ScanPosition::LookFrom(absl::Duration overlap) const {
  return reread_from.has_value() ? std::min(*reread_from, horizon - overlap)
                                 : horizon - overlap;
}

void ScanPosition::Prune(absl::Duration overlap) {
  const absl::Time from = LookFrom(overlap);
  for (auto it = seen.begin(); it != seen.end();) {
    it = it->second < from ? seen.erase(it) : std::next(it);
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
  if (reread_from.has_value()) {
    absl::StrAppend(&cursor, absl::ToUnixSeconds(*reread_from), " ", kRereadLine, "\n");
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
    if (parts[1] == kRereadLine) {
      scan.reread_from = absl::FromUnixSeconds(seconds);
    } else {
      scan.seen[parts[1]] = absl::FromUnixSeconds(seconds);
    }
  }
  return scan;
}

}  // namespace ferry::pagerduty
