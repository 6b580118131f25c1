#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mapping/query_dialect.h"

namespace ferry::servicenow {

// ServiceNow's encoded query (`active=true^priority<=2^ORurgency=1`): terms
// `<column><operator><value>` joined by `^` (AND) and `^OR` (OR, binding
// tighter than AND), `^NQ` (a new query OR-ed with the whole of the one
// before), ORDERBY/ORDERBYDESC. The instance parses it: Ferry checks
// only the placeholders of a target lookup, not its terms.
//
// A value filled into a lookup (`correlation_id=@Id@`) has each `^`
// doubled (`^^`), which the instance reads as a literal caret, so the
// value cannot start a new term. Nothing else needs escaping after `=`,
// `!=`, `LIKE` or `STARTSWITH`: the value runs to the next lone `^`.
// Commas are not escaped: after `IN` they still separate values, so a
// lookup that fills a free text should use `=` or `LIKE`, not `IN`.
// Stateless and thread-safe.
class EncodedQueryDialect : public mapping::QueryDialect {
 public:
  std::string EscapeValue(absl::string_view value) const override;
  // `^^` read back as `^`.
  std::string DecodeValue(absl::string_view written) const override;
  bool FerryParsesQueries() const override { return false; }
};

// `base` AND `criteria`: `base^criteria`, or either alone when the other
// is empty. Since `^OR` binds tighter than `^`, any criteria without `^NQ`
// stays AND-ed as a whole. INVALID_ARGUMENT naming `where` when the
// criteria hold `^NQ`, which would OR everything before it with the rest
// (a poll would then read incidents outside its window or project).
absl::StatusOr<std::string> AndQuery(absl::string_view base, absl::string_view criteria,
                                     absl::string_view where);

// What a project of a ServiceNow system is, as an encoded query: ""
// for "incident" or "*" (the whole incident table),
// "assignment_group=<sys_id>" for the sys_id of an assignment group (32
// hex digits): the incidents of that group, which the writer also assigns
// new incidents to. INVALID_ARGUMENT with the fix for anything else.
absl::StatusOr<std::string> ProjectQuery(absl::string_view project);

}  // namespace ferry::servicenow
