#include "tools/ferryctl/backfill_progress.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ferry::ctl {
namespace {

constexpr int kBarWidth = 30;

// "1:05:09", "4:07", "0:09".
std::string Clock(absl::Duration duration) {
  const int64_t seconds = std::max<int64_t>(0, absl::ToInt64Seconds(duration));
  if (seconds >= 3600) {
    return absl::StrFormat("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
  return absl::StrFormat("%d:%02d", seconds / 60, seconds % 60);
}

std::string Bar(double fraction) {
  const int filled = static_cast<int>(std::floor(fraction * kBarWidth));
  return absl::StrCat("[", std::string(filled, '#'), std::string(kBarWidth - filled, '-'),
                      "]");
}

}  // namespace

BackfillProgressView::BackfillProgressView(std::string integration, bool terminal,
                                           absl::Time start)
    : integration_(std::move(integration)), terminal_(terminal), start_(start) {}

std::string BackfillProgressView::Update(const ferry::v1::BackfillProgress& progress,
                                         absl::Time now) {
  const double fraction = std::clamp(progress.fraction(), 0.0, 1.0);
  const absl::Duration elapsed = now - start_;
  const double seconds = absl::ToDoubleSeconds(elapsed);
  const bool last = progress.done() || !progress.error().empty();
  std::string rate = "-/s";
  if (seconds > 0) {
    rate = absl::StrFormat("%.1f/s", static_cast<double>(progress.changes_done()) / seconds);
  }
  std::string left = "time left unknown";
  if (last) {
    left = absl::StrCat("took ", Clock(elapsed));
  } else if (fraction > 0) {
    left = absl::StrCat(Clock(elapsed * ((1 - fraction) / fraction)), " left");
  }
  const std::string numbers = absl::StrFormat(
      "%3.0f%%  %d read, %d done, %s, %s", fraction * 100, progress.changes_read(),
      progress.changes_done(), rate, left);
  const std::string error =
      progress.error().empty() ? "" : absl::StrCat(" (stopped: ", progress.error(), ")");
  if (terminal_) {
    // \033[K clears what a longer earlier line left.
    return absl::StrCat("\rbackfill ", integration_, " ", Bar(fraction), " ", numbers, error,
                        "\033[K", last ? "\n" : "");
  }
  const int tenth = static_cast<int>(std::floor(fraction * 10));
  if (!last && tenth <= last_tenth_) return "";
  last_tenth_ = tenth;
  return absl::StrCat("backfill ", integration_, ": ", numbers, error, "\n");
}

}  // namespace ferry::ctl
