#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "tools/servicenow_sim/encoded_query.h"

namespace ferry::servicenow_sim {

// How an ordered index keys a text column: the value lower-cased (ASCII),
// so that byte order of keys is the order queries compare text in
// (EncodedQuery: ignoring case, shorter prefix first) and equal keys are
// equal values. The empty value is the smallest key.
std::string IndexKey(absl::string_view value);

// One end of a KeyRange.
struct KeyBound {
  std::string key;
  bool inclusive = true;
};

// A range of index entries, which are ordered by key and then by
// IndexKey(sys_id): from `low` to `high` (nullopt: to the last key). The
// default range holds every entry.
struct KeyRange {
  KeyBound low{"", true};
  std::optional<KeyBound> high;
  // When set (with low.inclusive), the entries keyed low.key start after
  // this sys_id key (at it when inclusive): a poll's next page resumes
  // part-way through a second.
  std::optional<KeyBound> low_id = std::nullopt;

  // Whether no key can lie in the range.
  bool Empty() const;
};

// The entries of an index on `column` that every row matching `query`
// lies in, read from its top-level terms: in each ^NQ query, the groups
// whose conditions all compare `column` (=, >, >=, <, <=, BETWEEN, IN; an
// OR group spans its conditions' ranges) are intersected, and a group
// `sys_id>x` (or >=) starts the range's first key after x; the queries'
// ranges are joined. A superset at worst, never a subset: the caller
// still matches every row it reads. nullopt when some ^NQ query puts no
// such bound on `column` (its rows could hold any value). `column` must be
// a text (not integer) column of the queried table, read directly (no
// dot-walk). Pure.
std::optional<KeyRange> RangeOf(const EncodedQuery& query,
                                absl::string_view column);

}  // namespace ferry::servicenow_sim
