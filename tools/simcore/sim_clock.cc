#include "tools/simcore/sim_clock.h"

namespace ferry::simcore {

absl::Time SimClock::Now() const {
  absl::MutexLock lock(&mu_);
  return absl::Now() + offset_;
}

bool SimClock::Advance(absl::Duration delta) {
  if (delta < absl::ZeroDuration()) return false;
  absl::MutexLock lock(&mu_);
  offset_ += delta;
  return true;
}

absl::Duration SimClock::Offset() const {
  absl::MutexLock lock(&mu_);
  return offset_;
}

}  // namespace ferry::simcore
