#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "mapping/system_schema.h"
#include "mapping/text_template.h"
#include "proto/entity.pb.h"

namespace ferry::mapping {

// Escapes `value` for use inside a query of `language`:
//   - kUrlQuery: percent-encodes every byte but A-Z a-z 0-9 - . _ ~, so a
//     value cannot add parameters ("a&statuses[]=x" stays one value);
//   - kJql: backslash-escapes \ " and ' so a value cannot end the quoted
//     string it is placed in (write the placeholder inside quotes:
//     `"PD Id" ~ "@Id@"`).
std::string EscapeQueryValue(absl::string_view value, QueryLanguage language);

// Fills a target lookup query (`incident_key=@Key@`) with `source`'s field
// values, as text, escaped for the target's `language`. Fails with
// FailedPrecondition naming the placeholder when the source entity has no
// value for it: an empty key would find the wrong entities. Pure and
// thread-safe.
absl::StatusOr<std::string> FillLookupQuery(const TextTemplate& query,
                                            const ferry::v1::Entity& source,
                                            QueryLanguage language);

}  // namespace ferry::mapping
