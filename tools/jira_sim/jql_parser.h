#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ferry::jira_sim {

// One right-hand side value of a JQL clause.
struct JqlOperand {
  std::string text;     // as written, quotes removed
  bool quoted = false;  // "…" or '…': date literals must be quoted
  bool empty = false;   // the EMPTY / NULL keyword
  int line = 1;
  int position = 1;
};

// `field op value` or `field op (v1, v2…)`.
struct JqlClause {
  std::string field;  // as written (case kept; fields match case-insensitively)
  std::string op;     // upper case: = != < > <= >= ~ !~ IN, NOT IN, IS, IS NOT
  std::vector<JqlOperand> values;  // one, or the list's items
  bool list = false;
  int line = 1;
  int position = 1;
};

// A node of the WHERE part: AND/OR with two or more children, NOT with one,
// or a single clause.
struct JqlNode {
  enum class Kind { kAnd, kOr, kNot, kClause };
  Kind kind = Kind::kClause;
  std::vector<JqlNode> children;
  JqlClause clause;
};

struct JqlSort {
  std::string field;
  bool descending = false;
  int line = 1;
  int position = 1;
};

// A parsed query: an optional condition and the ORDER BY list.
struct JqlAst {
  std::optional<JqlNode> where;
  std::vector<JqlSort> order_by;
};

// Parses JQL with the grammar
//   query   := [or] [ORDER BY field [ASC|DESC] {, field [ASC|DESC]}]
//   or      := and {OR and}        and := not {AND not}
//   not     := NOT not | '(' or ')' | clause
//   clause  := field op (value | EMPTY | '(' value {, value} ')')
// Fails with InvalidArgument carrying Jira's "Error in the JQL Query: …"
// message (with line and character where Jira gives them). Functions
// (`now()`) and history operators (WAS, CHANGED) are valid JQL that this
// simulator does not implement: they fail with a message saying so, never
// match silently.
absl::StatusOr<JqlAst> ParseJql(const std::string& jql);

}  // namespace ferry::jira_sim
