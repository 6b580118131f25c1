#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "mapping/query_dialect.h"

namespace ferry::query {

// Jira Query Language: the end system parses it, so Ferry checks only the
// placeholders of a lookup, not its terms. Values filled into a lookup go
// inside double quotes written around the placeholder
// (`"PD Id" ~ "@Id@"`). Stateless and thread-safe.
class JqlDialect : public mapping::QueryDialect {
 public:
  // Backslash-escapes \ " and ' so a value cannot end the quoted string it
  // is placed in.
  std::string EscapeValue(absl::string_view value) const override;
  // Values are compared as written.
  std::string DecodeValue(absl::string_view written) const override;
  bool FerryParsesQueries() const override { return false; }
};

}  // namespace ferry::query
