#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "connectors/pagerduty/pd_scan_flags.h"
#include "connectors/pagerduty/scan_position.h"
#include "nlohmann/json.hpp"
#include "proto/entity.pb.h"

namespace ferry::pagerduty {

// How far back a LogScan's reads look.
struct LogScanOptions {
  // Each read of the overlap looks back this far before its checkpoint and
  // drops the entries it has seen, so entries that PagerDuty makes visible
  // late (or stamps with a clock behind Ferry's) are not lost.
  absl::Duration overlap = absl::Minutes(2);
  // A read from where the last read ended looks only a few seconds back
  // instead of the whole overlap, for this long after the overlap was last
  // read; the position keeps where the overlap starts, so the first read
  // after this span (or after a restart) reads it again. Entries shown late
  // are then caught up to this much later; none is lost.
  absl::Duration overlap_reread_every = absl::Minutes(1);
};

// The walk of one reader's reads over PagerDuty's log, without any I/O:
// which window each read reads next, which entries it has seen, where it
// stands (ScanPosition) and what a read leaves to the next.
//
// A read begins at the engine's checkpoint, else at the reader's start,
// else at the reader's creation (with no checkpoint, entries before it are
// not reported), and goes in windows up to `now`:
// - it reads the overlap before its position again, and drops entries it
//   has seen (ScanPosition::seen);
// - a read from the position the last read ended at, when that read went to
//   its end, looks back only 5 s (for entries stamped in that read's last
//   second but shown after it) while the overlap was read within
//   overlap_reread_every; the position then keeps where the next read of
//   the overlap must start (ScanPosition::reread_from), so a restart, a
//   rewind or the first read after that span reads it again;
// - a read from the position the last read stopped at (max_changes) goes
//   on with the rest of that read's window instead of reading it again;
// - a read from the position where the last read stopped between two
//   windows (before reading the next), further back than the overlap,
//   where no entry shows late, goes on from exactly there.
//
// Use: Begin; while !Done: NextWindow (read it), Hold, then Peek and Skip or
// Record each entry, FinishWindow when Peek gives none; stopping early
// (max_changes) keeps the rest for the next read; End. A failed read (no
// End) leaves nothing to the next. Thread-compatible.
class LogScan {
 public:
  struct Window {
    absl::Time since;
    absl::Time until;
  };

  // `start` is ReaderOptions.start; `origin` when the reader was made.
  LogScan(LogScanOptions options, std::optional<ferry::v1::SourcePosition> start,
          absl::Time origin);
  ~LogScan();

  // Begins a read after `after` (the checkpoint; nullopt: none) up to `now`
  // (exclusive). INVALID_ARGUMENT for a position whose cursor this code did
  // not write.
  absl::Status Begin(const std::optional<ferry::v1::SourcePosition>& after, absl::Time now);

  // The read's flags: after Begin, holds_window() says whether it goes on
  // with the last read's window.
  const ScanFlags& flags() const { return flags_; }
  // Whether the read has reached `now` and holds no entries.
  bool Done() const;
  // When the read holds no entries and is not Done: the window to read
  // next, starting where the read stands, `width` wide but not past `now`.
  std::optional<Window> NextWindow(absl::Duration width) const;
  // Holds the entries (oldest first) of the window from NextWindow's since
  // to `until` (NextWindow's, or narrower).
  void Hold(absl::Time until, std::vector<nlohmann::json> entries);

  // The next held entry; nullptr when the held window is read through.
  const nlohmann::json* Peek() const;
  // Whether log entry `id` was seen (by this read or, within the overlap,
  // an earlier one): it is dropped, not reported again.
  bool Seen(const std::string& id) const;
  // Whether an entry at `time` may be reported.
  bool Reportable(absl::Time time) const;
  // Moves past the peeked entry, one seen before.
  void Skip();
  // Moves past the peeked new entry, logged at `time`, recording it in the
  // position; `is_change` when the read reports it.
  void Record(absl::Time time, bool is_change);
  // After Peek gave nullptr: the window is read and the position's horizon
  // reaches its end.
  void FinishWindow();

  // The position as it stands; a change's position right after Record.
  ferry::v1::SourcePosition Position() const;
  // Ends the read. Returns the position to give as scanned_to when it moved
  // past the read's last change (nullopt otherwise), and keeps for a read
  // from where this one ended the held entries not read yet (when it
  // stopped early) or where it reached.
  std::optional<ferry::v1::SourcePosition> End();

 private:
  struct Continuation;

  // A read of the overlap has read every entry before `time` again.
  void RereadUpTo(absl::Time time);

  LogScanOptions options_;
  std::optional<ferry::v1::SourcePosition> start_;
  absl::Time origin_;
  // What the last read that ended left to the next; null during a read.
  std::unique_ptr<Continuation> continuation_;

  // The read under way.
  ScanPosition position_;
  // Entries before this are not reported.
  absl::Time floor_;
  absl::Time now_;
  // Where the next window starts, and where the held one ends.
  absl::Time since_;
  absl::Time until_;
  std::vector<nlohmann::json> entries_;
  // The index in entries_ of the entry Peek gives.
  size_t next_ = 0;
  ScanFlags flags_;
};

}  // namespace ferry::pagerduty
