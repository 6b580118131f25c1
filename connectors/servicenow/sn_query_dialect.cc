#include "connectors/servicenow/sn_query_dialect.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace ferry::servicenow {
namespace {

bool IsSysId(absl::string_view text) {
  if (text.size() != 32) return false;
  for (const char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string EncodedQueryDialect::EscapeValue(absl::string_view value) const {
  return absl::StrReplaceAll(value, {{"^", "^^"}});
}

std::string EncodedQueryDialect::DecodeValue(absl::string_view written) const {
  return absl::StrReplaceAll(written, {{"^^", "^"}});
}

absl::StatusOr<std::string> AndQuery(absl::string_view base, absl::string_view criteria,
                                     absl::string_view where) {
  // "^^NQ" is an escaped caret before the letters NQ, not the operator.
  const std::string unescaped = absl::StrReplaceAll(criteria, {{"^^", ""}});
  if (absl::StrContains(unescaped, "^NQ")) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": the criteria '", criteria,
        "' hold ^NQ, which would OR them with the poll's own terms; write the alternatives "
        "with ^OR (e.g. priority=1^ORpriority=2) instead"));
  }
  if (base.empty()) return std::string(criteria);
  if (criteria.empty()) return std::string(base);
  return absl::StrCat(base, "^", criteria);
}

absl::StatusOr<std::string> ProjectQuery(absl::string_view project) {
  if (project == "incident" || project == "*") return std::string();
  if (IsSysId(project)) return absl::StrCat("assignment_group=", project);
  return absl::InvalidArgumentError(absl::StrCat(
      "servicenow project '", project,
      "' is neither incident (the whole incident table) nor the sys_id of an assignment group "
      "(32 hex digits); use incident, or the group's sys_id from sys_user_group"));
}

}  // namespace ferry::servicenow
