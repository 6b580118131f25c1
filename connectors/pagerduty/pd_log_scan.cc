#include "connectors/pagerduty/pd_log_scan.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "connectors/pagerduty/pd_log_translation.h"

namespace ferry::pagerduty {
namespace {

// A read between re-reads of the overlap looks this far before where the
// last read ended, for entries stamped in that read's last second (or by a
// clock a little behind) but shown after it.
constexpr absl::Duration kFreshMargin = absl::Seconds(5);

}  // namespace

struct LogScan::Continuation {
  // The serialized position that read ended at; only a read from it uses
  // the rest.
  std::string position;
  // When that read stopped early: its window's entries not yet read,
  // oldest first. Empty when it read to its end.
  std::vector<nlohmann::json> entries;
  // The end of the window of `entries`, or where the finished read reached.
  absl::Time until;
  absl::Time floor;
  bool looks_back_seconds = false;
  // The read stopped between two windows, further back than the overlap.
  bool stopped_behind = false;
};

LogScan::LogScan(LogScanOptions options, std::optional<ferry::v1::SourcePosition> start,
                 absl::Time origin)
    : options_(options), start_(std::move(start)), origin_(origin) {}

LogScan::~LogScan() = default;

absl::Status LogScan::Begin(const std::optional<ferry::v1::SourcePosition>& after,
                            absl::Time now) {
  // A continuation serves only the read that starts where it stopped; any
  // other read (or a failed one) drops it.
  std::unique_ptr<Continuation> last = std::move(continuation_);
  entries_.clear();
  next_ = 0;
  flags_ = ScanFlags();
  now_ = now;
  const auto& from = after.has_value() ? after : start_;
  if (from.has_value()) {
    auto decoded = ScanPosition::FromPosition(*from);
    if (!decoded.ok()) return decoded.status();
    position_ = *std::move(decoded);
  } else {
    position_ = ScanPosition();
    position_.horizon = absl::FromUnixSeconds(absl::ToUnixSeconds(origin_));
  }
  // Without a checkpoint nothing before the start is a change; with one, an
  // unseen entry in the overlap is one PagerDuty showed late.
  floor_ = after.has_value() ? absl::InfinitePast() : position_.horizon;
  since_ = position_.LookFrom(options_.overlap);
  until_ = since_;
  if (last == nullptr || !after.has_value() || after->SerializeAsString() != last->position) {
    return absl::OkStatus();
  }
  if (!last->entries.empty()) {
    entries_ = std::move(last->entries);
    until_ = last->until;
    floor_ = last->floor;
    flags_ = ScanFlags::GoingOn(last->looks_back_seconds);
  } else if (last->stopped_behind) {
    // No entry shows late that far back: go on where it stopped, with the
    // window readers sharing a catch-up ask for (AccountLog::CatchUp).
    since_ = std::max(since_, last->until);
    until_ = since_;
  } else if (now_ - since_ < options_.overlap + options_.overlap_reread_every) {
    bool moved = false;
    if (!position_.reread_from.has_value()) {
      position_.reread_from = since_;
      moved = true;
    }
    flags_ = ScanFlags::LookingBackSeconds(moved);
    since_ = std::max(since_, last->until - kFreshMargin);
  }
  return absl::OkStatus();
}

bool LogScan::Done() const { return !flags_.holds_window() && since_ >= now_; }

std::optional<LogScan::Window> LogScan::NextWindow(absl::Duration width) const {
  if (flags_.holds_window() || Done()) return std::nullopt;
  return Window{since_, std::min(since_ + width, now_)};
}

void LogScan::Hold(absl::Time until, std::vector<nlohmann::json> entries) {
  until_ = until;
  entries_ = std::move(entries);
  next_ = 0;
  flags_.WindowHeld();
}

const nlohmann::json* LogScan::Peek() const {
  return next_ < entries_.size() ? &entries_[next_] : nullptr;
}

bool LogScan::Seen(const std::string& id) const { return position_.seen.count(id) > 0; }

bool LogScan::Reportable(absl::Time time) const { return time >= floor_; }

void LogScan::Skip() { ++next_; }

void LogScan::Record(absl::Time time, bool is_change) {
  position_.See(LogEntryId(entries_[next_]), time);
  if (!flags_.looks_back_seconds()) RereadUpTo(time);
  position_.Prune(options_.overlap);
  flags_.EntryRecorded(is_change);
  ++next_;
}

void LogScan::FinishWindow() {
  entries_.clear();
  next_ = 0;
  bool moved = false;
  if (until_ > position_.horizon) {
    position_.horizon = until_;
    moved = true;
  }
  if (!flags_.looks_back_seconds() && position_.reread_from.has_value()) {
    RereadUpTo(until_);
    moved = true;
  }
  flags_.WindowDone(moved);
  since_ = until_;
}

ferry::v1::SourcePosition LogScan::Position() const { return position_.ToPosition(); }

std::optional<ferry::v1::SourcePosition> LogScan::End() {
  std::optional<ferry::v1::SourcePosition> scanned_to;
  if (flags_.position_moved()) {
    position_.Prune(options_.overlap);
    scanned_to = position_.ToPosition();
  }
  continuation_ = std::make_unique<Continuation>();
  if (next_ < entries_.size()) {
    continuation_->entries.assign(std::make_move_iterator(entries_.begin() + next_),
                                  std::make_move_iterator(entries_.end()));
    continuation_->until = until_;
    continuation_->floor = floor_;
    continuation_->looks_back_seconds = flags_.looks_back_seconds();
  } else {
    // The read reached since_; the next may look from there.
    continuation_->until = since_;
    continuation_->stopped_behind = now_ - since_ > options_.overlap;
  }
  entries_.clear();
  next_ = 0;
  // Where the engine reads next: scanned_to, else the last change's
  // position, else `after`, which are all this position.
  continuation_->position = position_.ToPosition().SerializeAsString();
  return scanned_to;
}

void LogScan::RereadUpTo(absl::Time time) {
  // Entries before `time - overlap` were shown by then, so a read of the
  // overlap need not start before that again (nor at all once the overlap
  // itself starts later).
  if (!position_.reread_from.has_value()) return;
  position_.reread_from = std::max(*position_.reread_from, time - options_.overlap);
  if (*position_.reread_from >= position_.horizon - options_.overlap) {
    position_.reread_from.reset();
  }
}

}  // namespace ferry::pagerduty
