#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace ferry::http {

// Removes credentials from text before it leaves the HTTP client as a log
// line, an error message or a metric label.
//
// It replaces with "[REDACTED]":
//   - every occurrence of each secret it was given (the raw token and the
//     full Authorization value the client sends, for example), as is and
//     percent-encoded as it would appear in a URL;
//   - the value of any "Authorization:" or "Proxy-Authorization:" header
//     line, up to the end of the line, whatever the secret;
//   - the credential after "Token token=", "Bearer " or "Basic " when it
//     looks like one (8 or more characters of token alphabet), so a token
//     the Redactor was not told about is still hidden in echoed requests.
// Matching of the markers is case-insensitive; secrets match exactly.
//
// Immutable after construction, so Scrub() is thread-safe.
class Redactor {
 public:
  // Empty secrets are ignored. Secrets are matched longest first, so a
  // secret that contains another is removed whole.
  explicit Redactor(std::vector<std::string> secrets = {});

  // `text` with every credential replaced by "[REDACTED]".
  std::string Scrub(absl::string_view text) const;

 private:
  std::vector<std::string> secrets_;
};

}  // namespace ferry::http
