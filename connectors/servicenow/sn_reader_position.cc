#include "connectors/servicenow/sn_reader_position.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "engine/common/proto_time.h"

namespace ferry::servicenow {
namespace {

absl::Status Unreadable(absl::string_view what, absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      "servicenow reader: the checkpoint's ", what, " '", text.substr(0, 80),
      "' was not written by a ServiceNow reader; rewind the partition "
      "(ferryctl backfill) to a time to read from there"));
}

// absl::ToUnixSeconds rounds towards the infinite past.
absl::Time FloorToSecond(absl::Time time) {
  return absl::FromUnixSeconds(absl::ToUnixSeconds(time));
}

}  // namespace

absl::StatusOr<ReadMark> ReadMark::FromPosition(
    const std::optional<ferry::v1::SourcePosition>& position) {
  ReadMark mark;
  if (!position.has_value()) return mark;
  mark.second_ = FloorToSecond(FromProto(position->time()));
  const std::string& tie = position->tie_breaker();
  const std::string& cursor = position->cursor();
  if (tie.empty() && cursor.empty()) return mark;
  // The count leads the tie-breaker; the rest is for people reading it.
  const std::vector<absl::string_view> parts = absl::StrSplit(tie, absl::MaxSplits('/', 1));
  if (!absl::SimpleAtoi(parts[0], &mark.count_) || mark.count_ < 0) {
    return Unreadable("tie-breaker", tie);
  }
  for (absl::string_view line : absl::StrSplit(cursor, '\n', absl::SkipEmpty())) {
    const std::vector<absl::string_view> id_mod = absl::StrSplit(line, ':');
    int64_t mod = 0;
    if (id_mod.size() != 2 || id_mod[0].empty() || !absl::SimpleAtoi(id_mod[1], &mod)) {
      return Unreadable("cursor line", line);
    }
    mark.seen_[id_mod[0]] = mod;
  }
  return mark;
}

bool ReadMark::Seen(const RecordVersion& version) const {
  if (version.updated < second_) return true;
  if (version.updated > second_) return false;
  const std::optional<int64_t> seen = SeenModCount(version.sys_id);
  return seen.has_value() && version.mod_count <= *seen;
}

std::optional<int64_t> ReadMark::SeenModCount(const std::string& sys_id) const {
  auto it = seen_.find(sys_id);
  if (it == seen_.end()) return std::nullopt;
  return it->second;
}

ferry::v1::SourcePosition ReadMark::Advance(const RecordVersion& version) {
  if (version.updated > second_) {
    second_ = version.updated;
    count_ = 0;
    seen_.clear();
  }
  seen_[version.sys_id] = version.mod_count;
  ++count_;
  ferry::v1::SourcePosition position;
  *position.mutable_time() = ToProto(second_);
  position.set_tie_breaker(
      absl::StrFormat("%09d/%s/%d", count_, version.sys_id, version.mod_count));
  std::string cursor;
  for (const auto& [sys_id, mod] : seen_) absl::StrAppend(&cursor, sys_id, ":", mod, "\n");
  position.set_cursor(std::move(cursor));
  return position;
}

}  // namespace ferry::servicenow
