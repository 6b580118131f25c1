#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ferry::jira_sim {

// One JQL token. `position` is the 1-based character of its first letter on
// line `line` (1-based), as Jira reports positions in its parse errors.
struct JqlToken {
  enum class Kind {
    kWord,      // unquoted string: field names (also cf[10010]), values,
                // keywords (AND, IN…)
    kString,    // quoted string, quotes removed and escapes resolved
    kOperator,  // = != < > <= >= ~ !~
    kAnd,       // AND or &&
    kOr,        // OR or ||
    kNot,       // NOT or !
    kLParen,
    kRParen,
    kComma,
    kEnd,
  };
  Kind kind;
  std::string text;  // the value (kWord/kString) or the symbol as written
  int line = 1;
  int position = 1;
};

// Splits a JQL query into tokens, ending with one kEnd token.
//
// Keywords are case-insensitive; AND/OR/NOT (and &&, ||, !) get their own
// kinds, every other keyword (IN, IS, ORDER, BY, ASC, DESC, EMPTY…) stays a
// kWord for the parser to recognise. Quoted strings take "…" or '…' with
// backslash escapes (\" \' \\ \n \t \uXXXX). Fails with InvalidArgument and
// Jira's own message for an unterminated string, a bad escape or a reserved
// character outside quotes.
absl::StatusOr<std::vector<JqlToken>> TokenizeJql(const std::string& jql);

}  // namespace ferry::jira_sim
