#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mapping/system_schema.h"
#include "proto/entity.pb.h"

namespace ferry::mapping {

// Criteria evaluated on an entity, for systems or fields the API cannot
// filter. Two forms are understood:
//   - query parameters: `statuses[]=triggered&statuses[]=acknowledged&
//     incident_key=abc`, each value decoded by the schema's QueryDialect
//     (URL-decoded for a URL query). Parameters map to fields through
//     SystemSchema::query_params; repeats of one `name[]` parameter are
//     alternatives, different parameters must all match.
//   - A simple field form: `status = "In Progress" AND priority = High`,
//     terms joined by `&` or AND, values optionally double-quoted.
// Values compare case-insensitively with a field's text, or a lookup's id or
// name, or a user's id, e-mail or name. Anything richer (OR, parentheses,
// !=, ~, IN, ranges) is left to the end system's API and refused here.
//
// Immutable after Parse; Matches is thread-safe.
class CriteriaMatcher {
 public:
  // One condition: `field` holds one of `values`.
  struct Term {
    std::string field;
    std::vector<std::string> values;
  };

  // Parses `query` for a system of `schema`'s kind. An empty query matches
  // every entity. Fails with InvalidArgument naming the term for unknown
  // fields or parameters, and with Unimplemented when the query uses syntax
  // Ferry does not evaluate.
  static absl::StatusOr<CriteriaMatcher> Parse(absl::string_view query, const SystemSchema& schema);

  // Whether `entity` meets every term. A field absent from the entity
  // fails its term.
  bool Matches(const ferry::v1::Entity& entity) const;

  const std::vector<Term>& terms() const { return terms_; }

 private:
  std::vector<Term> terms_;
};

// What the writer does with a change, given the criteria (OIM's storage
// semantics).
enum class CriteriaDecision {
  // Sync it: the entity matches.
  kSync,
  // Sync it: it no longer matches, but was synced before (once in sync,
  // always in sync).
  kKeepSynced,
  // Skip: the entity does not match and was never synced.
  kSkipUnmatched,
  // Skip: it was synced before but no longer matches, and the integration
  // says stop_when_unmatched.
  kStopUnmatched,
};

// Once in sync, always in sync by default: an entity already linked keeps
// syncing after it stops matching, unless `stop_when_unmatched`.
CriteriaDecision DecideCriteria(bool matches_now, bool linked, bool stop_when_unmatched);

// A sentence explaining `decision`, for previews and skip details.
absl::string_view Explain(CriteriaDecision decision);

}  // namespace ferry::mapping
