#pragma once

#include <string>

#include "absl/time/time.h"
#include "proto/control.pb.h"

namespace ferry::ctl {

// How `ferryctl backfill` shows the progress ferryd streams: on a terminal
// one line redrawn in place, with a bar, the percentage of the time range
// covered, the changes read and done, the rate and the time left,
//   backfill pd-to-jira [############------------------]  40%  812 read, 790 done, 26.3/s, 0:48 left
// and otherwise (a log file, a pipe) plain lines, one per tenth of the
// range and on the last message, so a log is not flooded. The rate counts
// changes done (written or skipped) since the view was made; the time left
// assumes the rest of the range goes as fast as the part covered.
// Thread-compatible.
class BackfillProgressView {
 public:
  BackfillProgressView(std::string integration, bool terminal, absl::Time start);

  // The text to write for `progress`, received at `now` ("" when a plain
  // view has nothing new to say). The last message (done or an error)
  // always gives a text ending in a newline.
  std::string Update(const ferry::v1::BackfillProgress& progress, absl::Time now);

 private:
  const std::string integration_;
  const bool terminal_;
  const absl::Time start_;
  // The last tenth a plain line was written for; -1 before the first.
  int last_tenth_ = -1;
};

}  // namespace ferry::ctl
