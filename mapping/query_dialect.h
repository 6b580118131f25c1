#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace ferry::mapping {

// How one end system writes its query strings: criteria that select which
// entities sync, and target lookups that find an existing entity. A system's
// descriptor supplies its dialect with its SystemSchema (see
// docs/adding-a-system.md); mapping code only calls this interface, so a
// new query language needs no change here.
//
// Implementations are immutable and thread-safe.
class QueryDialect {
 public:
  virtual ~QueryDialect() = default;

  // Escapes `value`, a source field's text filled into a target lookup
  // query, so that it stays one value: it can neither end the string it is
  // placed in nor add terms to the query.
  virtual std::string EscapeValue(absl::string_view value) const = 0;

  // A criteria value as Ferry compares it, from its written form (the URL
  // query dialect decodes %XX and +; most dialects return it unchanged).
  virtual std::string DecodeValue(absl::string_view written) const = 0;

  // True when the system's criteria and lookups are a fixed set of
  // name=value filters that Ferry parses itself, so a config can be checked
  // before it runs; false when the end system parses the query (JQL), and
  // only the system can tell whether it is valid.
  virtual bool FerryParsesQueries() const = 0;
};

}  // namespace ferry::mapping
