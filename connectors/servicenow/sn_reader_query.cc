#include "connectors/servicenow/sn_reader_query.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "connectors/servicenow/sn_query_dialect.h"
#include "connectors/servicenow/sn_schema.h"

namespace ferry::servicenow {
namespace {

// The reader's order leads the query: ServiceNow sorts by the ORDERBY
// terms in the order they appear, so one in the criteria can only break
// ties after these.
constexpr absl::string_view kChangeOrder = "ORDERBYsys_updated_on^ORDERBYsys_id^";

// `terms` AND `scope`.
std::string With(absl::string_view terms, absl::string_view scope) {
  return scope.empty() ? std::string(terms) : absl::StrCat(terms, "^", scope);
}

}  // namespace

std::string ServiceNowDateTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, absl::UTCTimeZone());
}

absl::StatusOr<std::string> ReaderScope(absl::string_view criteria) {
  return AndQuery("", criteria, "servicenow reader criteria");
}

std::string ChangesFromQuery(absl::Time second, absl::string_view scope) {
  return absl::StrCat(kChangeOrder,
                      With(absl::StrCat("sys_updated_on>=", ServiceNowDateTime(second)), scope));
}

std::string ChangesAfterQuery(absl::Time second, absl::string_view sys_id,
                              absl::string_view scope) {
  const std::string at = ServiceNowDateTime(second);
  return absl::StrCat(
      kChangeOrder,
      With(absl::StrCat("sys_updated_on=", at, "^sys_id>", sys_id), scope), "^NQ",
      With(absl::StrCat("sys_updated_on>", at), scope));
}

std::string AuditQuery(const std::vector<std::string>& sys_ids, absl::Time since) {
  return absl::StrCat("tablename=", kIncidentTable, "^documentkeyIN", absl::StrJoin(sys_ids, ","),
                      "^sys_created_on>=", ServiceNowDateTime(since),
                      "^ORDERBYsys_created_on");
}

std::string JournalQuery(const std::vector<std::string>& sys_ids, absl::Time since) {
  return absl::StrCat("element_idIN", absl::StrJoin(sys_ids, ","), "^elementIN",
                      kCommentsKind, ",", kWorkNotesKind,
                      "^sys_created_on>=", ServiceNowDateTime(since),
                      "^ORDERBYsys_created_on");
}

}  // namespace ferry::servicenow
