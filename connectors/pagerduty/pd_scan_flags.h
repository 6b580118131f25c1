#pragma once

namespace ferry::pagerduty {

// Where one read's scan of the log stands, apart from its position (see
// LogScan): whether it looks back only a few seconds (a poll between
// re-reads of the overlap) or the whole overlap, whether it holds log
// entries of a window not yet read through, and whether its position moved
// since the read's last change (the read then returns it as scanned_to, so
// skipped entries and read windows are not read again). A plain value.
class ScanFlags {
 public:
  // A read of the whole overlap that holds nothing and has not moved.
  ScanFlags() = default;
  // A read from where the last one ended, within overlap_reread_every of
  // the last read of the overlap: it looks back seconds; `position_moved`
  // when starting so moved the position (it began to keep where the next
  // read of the overlap starts).
  static ScanFlags LookingBackSeconds(bool position_moved);
  // A read that goes on with the rest of the window the last read stopped
  // in at max_changes, looking back as that read did.
  static ScanFlags GoingOn(bool looks_back_seconds);

  bool looks_back_seconds() const { return looks_back_seconds_; }
  bool holds_window() const { return holds_window_; }
  bool position_moved() const { return position_moved_; }

  // A window's entries were read and are held.
  void WindowHeld();
  // A new entry was recorded in the position: a change carries the
  // position with it; any other entry moves it past the last change.
  void EntryRecorded(bool is_change);
  // The held window is read through; `position_moved` when that moved the
  // horizon or where the next read of the overlap starts.
  void WindowDone(bool position_moved);

  bool operator==(const ScanFlags& other) const;
  bool operator!=(const ScanFlags& other) const { return !(*this == other); }

 private:
  bool looks_back_seconds_ = false;
  bool holds_window_ = false;
  bool position_moved_ = false;
};

}  // namespace ferry::pagerduty
