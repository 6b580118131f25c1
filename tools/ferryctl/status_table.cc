#include "tools/ferryctl/status_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace ferry::ctl {
namespace {

constexpr char kRow[] = "%-24s %-8s %8s  %-19s %8s %8s %13s %12s %8s\n";

}  // namespace

std::string TimeOrDash(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixSeconds(time.seconds()),
                          absl::UTCTimeZone());
}

std::string StatusTable(const ferry::v1::GetStatusResponse& response) {
  std::string out = absl::StrFormat(kRow, "INTEGRATION", "STATE", "LAG", "LAST WRITE",
                                    "WRITTEN", "SKIPPED", "OPEN FAILURES",
                                    "LINKED PAIRS", "COMMENTS");
  for (const auto& integration : response.integrations()) {
    double lag = 0;
    std::string errors;
    for (const auto& partition : integration.partitions()) {
      lag = std::max(lag, partition.lag_seconds());
      if (!partition.last_error().empty()) {
        absl::StrAppend(&errors, "  ", partition.system(), "/", partition.project(), ": ",
                        partition.last_error(), "\n");
      }
    }
    absl::StrAppendFormat(
        &out, kRow, integration.summary().name(),
        integration.summary().paused() ? "paused" : "running",
        absl::StrFormat("%.0fs", lag), TimeOrDash(integration.last_sync()),
        absl::StrCat(integration.changes_written()),
        absl::StrCat(integration.changes_skipped()),
        absl::StrCat(integration.open_failures()), absl::StrCat(integration.links()),
        absl::StrCat(integration.comments_synced()));
    out += errors;
  }
  return out;
}

}  // namespace ferry::ctl
