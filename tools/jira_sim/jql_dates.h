#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/jira_sim/jql_parser.h"

namespace ferry::jira_sim {

// The instants a JQL date value stands for: [begin, end). `begin` is what
// <, <=, >, >= compare against; `=` matches timestamps inside the range.
struct JqlDateRange {
  absl::Time begin;
  absl::Time end;
};

// Resolves the value of a date clause (`updated`, `created`) as Jira does:
//  - "yyyy-MM-dd HH:mm", "yyyy/MM/dd HH:mm": that minute in `user_zone`
//    (the caller's profile time zone, not UTC, not the server's);
//  - "yyyy-MM-dd", "yyyy/MM/dd": that day (midnight to midnight) in
//    `user_zone`;
//  - an unquoted integer: epoch milliseconds (exact to the millisecond);
//  - a period relative to `now`: "-5m", "-2h", "-1d", "4w 2d", "-5"
//    (units w, d, h, m; a bare number is minutes).
// Quoted or not, the literal formats are the same; only a bare integer
// differs (epoch ms unquoted, minutes quoted). Fails with InvalidArgument and
// Jira's "Date value '…' for field '…' is invalid" message otherwise.
absl::StatusOr<JqlDateRange> ResolveJqlDate(const JqlOperand& value,
                                            const std::string& field,
                                            absl::TimeZone user_zone,
                                            absl::Time now);

}  // namespace ferry::jira_sim
