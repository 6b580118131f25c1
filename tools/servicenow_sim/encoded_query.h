#pragma once

#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "tools/servicenow_sim/record.h"

namespace ferry::servicenow_sim {

// A value a query reads from a row. `numeric` columns (state, priority,
// impact, urgency, sys_mod_count...) compare as numbers; everything else,
// datetimes included ("yyyy-MM-dd HH:mm:ss" UTC), compares as text,
// ignoring case as ServiceNow's database does.
struct FieldValue {
  std::string text;
  bool numeric = false;
};

// How a query reads the rows of one table.
class FieldReader {
 public:
  virtual ~FieldReader() = default;
  // The value of `field` in `row`: a column of the row's table or a
  // dot-walk through reference columns ("assignment_group.name"); "" when a
  // reference on the way is empty or dangling. nullopt when `field` names no
  // column: the term is then ignored, as ServiceNow ignores the invalid
  // parts of a query by default.
  virtual std::optional<FieldValue> Read(const Record& row,
                                         absl::string_view field) const = 0;
};

// The operators of ServiceNow's encoded queries the simulator evaluates.
enum class QueryOp {
  kEquals,        // =
  kNotEquals,     // !=  (rows with an empty value match too)
  kGreater,       // >
  kGreaterEqual,  // >=
  kLess,          // <
  kLessEqual,     // <=
  kIn,            // IN a,b,c
  kNotIn,         // NOT IN a,b,c
  kLike,          // LIKE x   (contains)
  kNotLike,       // NOT LIKE x
  kStartsWith,    // STARTSWITH x
  kEndsWith,      // ENDSWITH x
  kIsEmpty,       // ISEMPTY
  kIsNotEmpty,    // ISNOTEMPTY
  kBetween,       // BETWEEN a@b (both ends included)
  kUnknown,       // a term the simulator cannot read: ignored
};

struct QueryCondition {
  std::string field;
  QueryOp op = QueryOp::kUnknown;
  // The operand(s): one for most operators, the list for IN / NOT IN, the
  // two ends for BETWEEN. `javascript:gs.dateGenerate('d','t')` is read as
  // "d t" (the simulated users' time zone is UTC).
  std::vector<std::string> values;
};

struct QueryOrder {
  std::string field;
  bool descending = false;
};

// A parsed `sysparm_query`:
//   terms joined by `^` (AND) and `^OR` (OR, binding tighter than AND:
//   `a^b^ORc` is a AND (b OR c)); `^NQ` starts a new query whose rows are
//   added (OR of whole queries); `ORDERBY<field>` / `ORDERBYDESC<field>`
//   anywhere, in order of appearance; `^^` is a literal caret in a value;
//   `^EQ` (the list UI's terminator) is skipped.
// A term is `<field><op><value>` where the field is lower case letters,
// digits, `_` and `.` (dot-walks). Parse never fails: a term it cannot
// read is kept as kUnknown and ignored when matching, like a term naming
// an unknown field. Thread-compatible; immutable after Parse.
class EncodedQuery {
 public:
  static EncodedQuery Parse(absl::string_view text);

  // Whether `row` satisfies the query (an empty query matches every row).
  bool Matches(const Record& row, const FieldReader& reader) const;

  // <0, 0 or >0 as `a` sorts before, with or after `b` under the ORDERBY
  // terms (empty values first when ascending). Ties are the caller's to
  // break (sys_id).
  int Compare(const Record& a, const Record& b,
              const FieldReader& reader) const;

  // The ORDERBY values of a row, read once so that sorting many rows does
  // not read each row log(n) times; CompareKeys orders them as Compare.
  using SortKey = std::vector<std::optional<FieldValue>>;
  SortKey KeyOf(const Record& row, const FieldReader& reader) const;
  int CompareKeys(const SortKey& a, const SortKey& b) const;

  // Adds `field=value` to every query (the Table API's name-value filters).
  void AddEquals(const std::string& field, const std::string& value);

  // The terms: per ^NQ query (outer), the groups ANDed together (middle),
  // each a group of conditions ORed together (inner). A row matches when,
  // in some query, every group has a condition it satisfies (conditions
  // that are kUnknown or name no field are ignored; a group left empty
  // holds).
  using Group = std::vector<QueryCondition>;
  using Conjunction = std::vector<Group>;
  const std::vector<Conjunction>& queries() const { return queries_; }
  const std::vector<QueryOrder>& order() const { return order_; }

 private:
  std::vector<Conjunction> queries_;
  std::vector<QueryOrder> order_;
};

}  // namespace ferry::servicenow_sim
