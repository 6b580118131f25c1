#include "tools/servicenow_sim/index_range.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"

namespace ferry::servicenow_sim {
namespace {

// The lower bound of ">= value": the value's key, or every non-empty key
// when the value is empty (>, >=, <, <= and BETWEEN never match an empty
// value).
KeyBound AtLeast(const std::string& value) {
  std::string key = IndexKey(value);
  const bool inclusive = !key.empty();
  return {std::move(key), inclusive};
}

// Every non-empty key.
KeyBound NonEmpty() { return {"", false}; }

// The range of one condition on the column; nullopt for an operator that
// allows values anywhere (!=, LIKE, ISEMPTY...).
std::optional<KeyRange> ConditionRange(const QueryCondition& condition) {
  const std::vector<std::string>& values = condition.values;
  if (values.empty()) return std::nullopt;
  switch (condition.op) {
    case QueryOp::kEquals: {
      const std::string key = IndexKey(values[0]);
      return KeyRange{{key, true}, KeyBound{key, true}};
    }
    case QueryOp::kIn: {
      std::string low = IndexKey(values[0]);
      std::string high = low;
      for (const std::string& value : values) {
        std::string key = IndexKey(value);
        low = std::min(low, key);
        high = std::max(high, key);
      }
      return KeyRange{{low, true}, KeyBound{high, true}};
    }
    case QueryOp::kGreater:
      return KeyRange{{IndexKey(values[0]), false}, std::nullopt};
    case QueryOp::kGreaterEqual:
      return KeyRange{AtLeast(values[0]), std::nullopt};
    case QueryOp::kLess:
      return KeyRange{NonEmpty(), KeyBound{IndexKey(values[0]), false}};
    case QueryOp::kLessEqual:
      return KeyRange{NonEmpty(), KeyBound{IndexKey(values[0]), true}};
    case QueryOp::kBetween:
      if (values.size() != 2) return std::nullopt;
      return KeyRange{AtLeast(values[0]), KeyBound{IndexKey(values[1]), true}};
    default:
      return std::nullopt;
  }
}

// <0, 0 or >0 as bound `a` starts before, with or after `b` at the same
// key (an inclusive bound before an exclusive one).
int CompareStart(const KeyBound& a, const KeyBound& b) {
  if (a.key != b.key) return a.key < b.key ? -1 : 1;
  return a.inclusive == b.inclusive ? 0 : (a.inclusive ? -1 : 1);
}

// <0, 0 or >0 as the low end of `a` admits more, as many or fewer entries
// than that of `b`: within one key, from its first entry, from a sys_id,
// past the key.
int CompareLow(const KeyRange& a, const KeyRange& b) {
  if (a.low.key != b.low.key) return a.low.key < b.low.key ? -1 : 1;
  auto rank = [](const KeyRange& range) {
    return !range.low.inclusive ? 2 : (range.low_id ? 1 : 0);
  };
  if (rank(a) != rank(b)) return rank(a) < rank(b) ? -1 : 1;
  return rank(a) == 1 ? CompareStart(*a.low_id, *b.low_id) : 0;
}

// `range` with the low end of `from`.
KeyRange WithLow(KeyRange range, const KeyRange& from) {
  range.low = from.low;
  range.low_id = from.low_id;
  return range;
}

// <0, 0 or >0 as upper bound `a` admits fewer, as many or more keys than
// `b` (nullopt: no upper bound).
int CompareHigh(const std::optional<KeyBound>& a,
                const std::optional<KeyBound>& b) {
  if (!a || !b) return (!a && !b) ? 0 : (!a ? 1 : -1);
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  return a->inclusive == b->inclusive ? 0 : (a->inclusive ? 1 : -1);
}

KeyRange Intersect(const KeyRange& a, const KeyRange& b) {
  return WithLow(CompareHigh(a.high, b.high) <= 0 ? a : b,
                 CompareLow(a, b) >= 0 ? a : b);
}

KeyRange Join(const KeyRange& a, const KeyRange& b) {
  return WithLow(CompareHigh(a.high, b.high) >= 0 ? a : b,
                 CompareLow(a, b) <= 0 ? a : b);
}

// Where a group `sys_id>x` (or >=) lets the rows of one key start;
// nullopt for any other group.
std::optional<KeyBound> SysIdStart(const EncodedQuery::Group& group) {
  const QueryCondition* only = nullptr;
  for (const QueryCondition& condition : group) {
    if (condition.op == QueryOp::kUnknown) continue;
    if (only != nullptr) return std::nullopt;
    only = &condition;
  }
  if (only == nullptr || only->field != "sys_id" || only->values.empty()) {
    return std::nullopt;
  }
  if (only->op == QueryOp::kGreater) {
    return KeyBound{IndexKey(only->values[0]), false};
  }
  if (only->op == QueryOp::kGreaterEqual) return AtLeast(only->values[0]);
  return std::nullopt;
}

// The range an OR group holds `column` to: the join of its conditions'
// ranges when every condition the group applies is a range on `column`.
std::optional<KeyRange> GroupRange(const EncodedQuery::Group& group,
                                   absl::string_view column) {
  std::optional<KeyRange> range;
  for (const QueryCondition& condition : group) {
    if (condition.op == QueryOp::kUnknown) continue;
    if (condition.field != column) return std::nullopt;
    std::optional<KeyRange> own = ConditionRange(condition);
    if (!own) return std::nullopt;
    range = range ? Join(*range, *own) : *own;
  }
  return range;
}

}  // namespace

std::string IndexKey(absl::string_view value) {
  return absl::AsciiStrToLower(value);
}

bool KeyRange::Empty() const {
  if (!high) return false;
  if (low.key != high->key) return low.key > high->key;
  return !(low.inclusive && high->inclusive);
}

std::optional<KeyRange> RangeOf(const EncodedQuery& query,
                                absl::string_view column) {
  std::optional<KeyRange> joined;
  for (const EncodedQuery::Conjunction& groups : query.queries()) {
    std::optional<KeyRange> bounded;
    for (const EncodedQuery::Group& group : groups) {
      std::optional<KeyRange> range = GroupRange(group, column);
      if (range) bounded = bounded ? Intersect(*bounded, *range) : *range;
    }
    if (!bounded) return std::nullopt;
    if (bounded->low.inclusive) {
      for (const EncodedQuery::Group& group : groups) {
        std::optional<KeyBound> start = SysIdStart(group);
        if (start && (!bounded->low_id ||
                      CompareStart(*start, *bounded->low_id) > 0)) {
          bounded->low_id = std::move(start);
        }
      }
    }
    joined = joined ? Join(*joined, *bounded) : *bounded;
  }
  return joined;
}

}  // namespace ferry::servicenow_sim
