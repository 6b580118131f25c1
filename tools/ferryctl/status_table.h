#pragma once

#include <string>

#include "proto/control.pb.h"

namespace ferry::ctl {

// `ferryctl status` as a table, one row per integration, each partition's
// last error under its row. The columns (README.md, "Running it"):
//   INTEGRATION     the integration's name
//   STATE           running or paused
//   LAG             the oldest partition's checkpoint age, in seconds
//   LAST WRITE      when a change was last written to an end system (UTC)
//   WRITTEN         changes written, in total (kept across restarts)
//   SKIPPED         changes that needed no write, in total
//   OPEN FAILURES   parked changes not yet written or skipped
//   LINKED PAIRS    entities linked to their counterpart (not comments)
//   COMMENTS        comments synced over all linked pairs
std::string StatusTable(const ferry::v1::GetStatusResponse& response);

// A time as ferryctl shows it: "2026-12-06 04:32:44" (UTC), or "-" unset.
std::string TimeOrDash(const google::protobuf::Timestamp& time);

}  // namespace ferry::ctl
