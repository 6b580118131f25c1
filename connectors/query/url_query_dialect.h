#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "mapping/query_dialect.h"

namespace ferry::query {

// Queries written as URL query parameters (`incident_key=abc&statuses[]=x`),
// the way REST APIs such as PagerDuty's filter their list endpoints: Ferry
// parses them itself, so criteria and lookups are checked before a config
// runs. Stateless and thread-safe.
class UrlQueryDialect : public mapping::QueryDialect {
 public:
  // Percent-encodes every byte but A-Z a-z 0-9 - . _ ~, so a value cannot
  // add parameters ("a&statuses[]=x" stays one value).
  std::string EscapeValue(absl::string_view value) const override;
  // Decodes %XX escapes and '+' (a space); a malformed escape stays as is.
  std::string DecodeValue(absl::string_view written) const override;
  bool FerryParsesQueries() const override { return true; }
};

}  // namespace ferry::query
