#include "connectors/pagerduty/pd_scan_flags.h"

namespace ferry::pagerduty {

ScanFlags ScanFlags::LookingBackSeconds(bool position_moved) {
  ScanFlags flags;
  flags.looks_back_seconds_ = true;
  flags.position_moved_ = position_moved;
  return flags;
}

ScanFlags ScanFlags::GoingOn(bool looks_back_seconds) {
  ScanFlags flags;
  flags.looks_back_seconds_ = looks_back_seconds;
  flags.holds_window_ = true;
  return flags;
}

void ScanFlags::WindowHeld() { holds_window_ = true; }

void ScanFlags::EntryRecorded(bool is_change) { position_moved_ = !is_change; }

void ScanFlags::WindowDone(bool position_moved) {
  holds_window_ = false;
  position_moved_ = position_moved_ || position_moved;
}

bool ScanFlags::operator==(const ScanFlags& other) const {
  return looks_back_seconds_ == other.looks_back_seconds_ &&
         holds_window_ == other.holds_window_ && position_moved_ == other.position_moved_;
}

}  // namespace ferry::pagerduty
