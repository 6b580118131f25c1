#include "connectors/query/jql_dialect.h"

namespace ferry::query {

std::string JqlDialect::EscapeValue(absl::string_view value) const {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string JqlDialect::DecodeValue(absl::string_view written) const {
  return std::string(written);
}

}  // namespace ferry::query
