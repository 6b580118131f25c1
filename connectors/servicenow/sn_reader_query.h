#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ferry::servicenow {

// The encoded queries a ServiceNow reader sends (sysparm_query), built
// here so that they can be read and tested apart from the HTTP calls.
// Datetimes are written as ServiceNow stores them, "yyyy-MM-dd HH:mm:ss"
// in UTC, which the instance reads as UTC when given as text. Pure;
// thread-safe.

// `time` as ServiceNow writes a datetime (whole seconds, UTC).
std::string ServiceNowDateTime(absl::Time time);

// What a poll reads, beside the time: the integration's criteria, an
// encoded query AND-ed with the poll's terms. INVALID_ARGUMENT naming the
// criteria and the fix when they hold ^NQ (which would OR them with the
// poll's window).
absl::StatusOr<std::string> ReaderScope(absl::string_view criteria);

// Incidents updated at or after `second`, oldest first, sys_id breaking
// ties: the first page of a poll.
std::string ChangesFromQuery(absl::Time second, absl::string_view scope);

// Incidents after (`second`, `sys_id`) in that order: the rest of the
// second after `sys_id`, then every later second (two queries joined by
// ^NQ). Each following page starts from the last row of the one before,
// so an incident updated while pages are read cannot shift another out
// of them, as an offset would.
std::string ChangesAfterQuery(absl::Time second, absl::string_view sys_id,
                              absl::string_view scope);

// sys_audit rows of the incidents `sys_ids` made at or after `since`,
// oldest first.
std::string AuditQuery(const std::vector<std::string>& sys_ids, absl::Time since);

// sys_journal_field entries (comments and work notes) of the incidents
// `sys_ids` made at or after `since`, oldest first.
std::string JournalQuery(const std::vector<std::string>& sys_ids, absl::Time since);

}  // namespace ferry::servicenow
