#include "connectors/servicenow/sn_query_dialect.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace ferry::servicenow {

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

}  // namespace ferry::servicenow
