#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace ferry::simcore {

// Vendor conventions a document does not spell out per field.
struct OpenApiOptions {
  // E.g. PagerDuty's "any field may be null unless required": a null value
  // of a property that is not required is accepted.
  bool optional_properties_nullable = false;
};

// Checks simulator responses against a vendor's OpenAPI 3 document (read
// from a local copy; vendors' documents are not committed). Supports the
// schema keywords such documents use for response bodies: $ref (any JSON
// pointer into the document), type, nullable, enum, properties, required,
// items, allOf, anyOf and oneOf. oneOf is checked as anyOf, because
// reference/object alternatives in vendor documents overlap. Formats,
// additionalProperties and string/number limits are not checked.
// Immutable after construction, so thread-safe.
class OpenApiValidator {
 public:
  explicit OpenApiValidator(nlohmann::json document, OpenApiOptions options = {});

  // Reads and parses the document at `path`.
  static absl::StatusOr<OpenApiValidator> FromFile(const std::string& path,
                                                   OpenApiOptions options = {});

  // The problems of `body` against the JSON response schema that the
  // document gives for `method` (e.g. "GET") on a concrete `path` (e.g.
  // "/incidents/P1", matched against the path templates, literal segments
  // winning) and `status`. Empty when valid. A missing operation, response
  // or schema is reported as a problem too.
  std::vector<std::string> ValidateResponse(const std::string& method,
                                            const std::string& path, int status,
                                            const nlohmann::json& body) const;

  // The problems of `value` against `schema`; `where` prefixes messages.
  std::vector<std::string> Validate(const nlohmann::json& schema,
                                    const nlohmann::json& value,
                                    const std::string& where = "$") const;

 private:
  // Follows $ref chains; nullptr when a pointer does not resolve.
  const nlohmann::json* Resolve(const nlohmann::json& node) const;
  void Check(const nlohmann::json& schema, const nlohmann::json& value,
             const std::string& where, std::vector<std::string>& problems) const;

  nlohmann::json document_;
  OpenApiOptions options_;
};

}  // namespace ferry::simcore
