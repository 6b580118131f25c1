#include "tools/servicenow_sim/encoded_query.h"

#include <cctype>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ferry::servicenow_sim {
namespace {

using Group = EncodedQuery::Group;

// Splits at single carets; `^^` is a literal caret.
std::vector<std::string> SplitTerms(absl::string_view text) {
  std::vector<std::string> terms(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '^') {
      terms.back().push_back(text[i]);
    } else if (i + 1 < text.size() && text[i + 1] == '^') {
      terms.back().push_back('^');
      ++i;
    } else {
      terms.emplace_back();
    }
  }
  return terms;
}

struct OperatorSpelling {
  const char* text;
  QueryOp op;
};

// Longest first, so that ">=" wins over ">" and "NOT IN" over "IN".
constexpr OperatorSpelling kOperators[] = {
    {"ISNOTEMPTY", QueryOp::kIsNotEmpty}, {"ISEMPTY", QueryOp::kIsEmpty},
    {"STARTSWITH", QueryOp::kStartsWith}, {"ENDSWITH", QueryOp::kEndsWith},
    {"NOT LIKE", QueryOp::kNotLike},      {"NOTLIKE", QueryOp::kNotLike},
    {"NOT IN", QueryOp::kNotIn},          {"BETWEEN", QueryOp::kBetween},
    {"LIKE", QueryOp::kLike},             {"IN", QueryOp::kIn},
    {"!=", QueryOp::kNotEquals},          {">=", QueryOp::kGreaterEqual},
    {"<=", QueryOp::kLessEqual},          {"=", QueryOp::kEquals},
    {">", QueryOp::kGreater},             {"<", QueryOp::kLess},
};

bool IsFieldChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

// `javascript:gs.dateGenerate('2024-01-01','00:00:00')` → "2024-01-01
// 00:00:00"; any other value as written.
std::string Unquote(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  absl::ConsumePrefix(&text, "'");
  absl::ConsumeSuffix(&text, "'");
  return std::string(text);
}

std::string Operand(absl::string_view value) {
  absl::string_view rest = value;
  if (absl::ConsumePrefix(&rest, "javascript:gs.dateGenerate(") &&
      absl::ConsumeSuffix(&rest, ")")) {
    std::vector<absl::string_view> parts = absl::StrSplit(rest, ',');
    if (parts.size() == 2) return Unquote(parts[0]) + " " + Unquote(parts[1]);
  }
  return std::string(value);
}

QueryCondition ParseCondition(absl::string_view term) {
  QueryCondition condition;
  size_t end = 0;
  while (end < term.size() && IsFieldChar(term[end])) ++end;
  condition.field = std::string(term.substr(0, end));
  absl::string_view rest = term.substr(end);
  if (condition.field.empty()) return condition;
  for (const OperatorSpelling& spelling : kOperators) {
    if (!absl::ConsumePrefix(&rest, spelling.text)) continue;
    condition.op = spelling.op;
    switch (spelling.op) {
      case QueryOp::kIsEmpty:
      case QueryOp::kIsNotEmpty:
        break;
      case QueryOp::kIn:
      case QueryOp::kNotIn:
        for (absl::string_view item : absl::StrSplit(rest, ',')) {
          condition.values.push_back(Operand(item));
        }
        break;
      case QueryOp::kBetween: {
        std::vector<absl::string_view> ends =
            absl::StrSplit(rest, absl::MaxSplits('@', 1));
        if (ends.size() != 2) {
          condition.op = QueryOp::kUnknown;
          break;
        }
        condition.values = {Operand(ends[0]), Operand(ends[1])};
        break;
      }
      default:
        condition.values.push_back(Operand(rest));
    }
    return condition;
  }
  return condition;
}

// Numbers when both sides are numbers in a numeric column, else text
// ignoring case.
int CompareValues(const std::string& a, const std::string& b, bool numeric) {
  double x = 0;
  double y = 0;
  if (numeric && absl::SimpleAtod(a, &x) && absl::SimpleAtod(b, &y)) {
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    char p = absl::ascii_tolower(static_cast<unsigned char>(a[i]));
    char q = absl::ascii_tolower(static_cast<unsigned char>(b[i]));
    if (p != q) return static_cast<unsigned char>(p) < static_cast<unsigned char>(q) ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

bool ContainsIgnoreCase(const std::string& text, const std::string& part) {
  return absl::StrContains(absl::AsciiStrToLower(text),
                           absl::AsciiStrToLower(part));
}

bool InList(const std::vector<std::string>& list, const FieldValue& value) {
  for (const std::string& item : list) {
    if (CompareValues(value.text, item, value.numeric) == 0) return true;
  }
  return false;
}

bool ConditionHolds(const QueryCondition& condition, const FieldValue& value) {
  const std::string& text = value.text;
  auto operand = [&]() -> const std::string& { return condition.values[0]; };
  auto compare = [&]() { return CompareValues(text, operand(), value.numeric); };
  switch (condition.op) {
    case QueryOp::kEquals: return compare() == 0;
    case QueryOp::kNotEquals: return compare() != 0;
    case QueryOp::kGreater: return !text.empty() && compare() > 0;
    case QueryOp::kGreaterEqual: return !text.empty() && compare() >= 0;
    case QueryOp::kLess: return !text.empty() && compare() < 0;
    case QueryOp::kLessEqual: return !text.empty() && compare() <= 0;
    case QueryOp::kIn: return InList(condition.values, value);
    case QueryOp::kNotIn: return !InList(condition.values, value);
    case QueryOp::kLike: return ContainsIgnoreCase(text, operand());
    case QueryOp::kNotLike: return !ContainsIgnoreCase(text, operand());
    case QueryOp::kStartsWith: return absl::StartsWithIgnoreCase(text, operand());
    case QueryOp::kEndsWith: return absl::EndsWithIgnoreCase(text, operand());
    case QueryOp::kIsEmpty: return text.empty();
    case QueryOp::kIsNotEmpty: return !text.empty();
    case QueryOp::kBetween:
      return !text.empty() &&
             CompareValues(text, condition.values[0], value.numeric) >= 0 &&
             CompareValues(text, condition.values[1], value.numeric) <= 0;
    case QueryOp::kUnknown: return true;
  }
  return true;
}

bool GroupHolds(const Group& group, const Record& row,
                const FieldReader& reader) {
  bool any_valid = false;
  for (const QueryCondition& condition : group) {
    if (condition.op == QueryOp::kUnknown) continue;
    std::optional<FieldValue> value = reader.Read(row, condition.field);
    if (!value) continue;
    any_valid = true;
    if (ConditionHolds(condition, *value)) return true;
  }
  return !any_valid;
}

}  // namespace

EncodedQuery EncodedQuery::Parse(absl::string_view text) {
  EncodedQuery query;
  query.queries_.emplace_back();
  for (std::string& raw : SplitTerms(text)) {
    absl::string_view term = raw;
    if (absl::ConsumePrefix(&term, "NQ")) query.queries_.emplace_back();
    if (term.empty() || term == "EQ") continue;
    absl::string_view field = term;
    if (absl::ConsumePrefix(&field, "ORDERBYDESC")) {
      query.order_.push_back({std::string(field), true});
      continue;
    }
    if (absl::ConsumePrefix(&field, "ORDERBY")) {
      query.order_.push_back({std::string(field), false});
      continue;
    }
    auto& groups = query.queries_.back();
    if (absl::ConsumePrefix(&term, "OR") && !groups.empty()) {
      groups.back().push_back(ParseCondition(term));
    } else {
      groups.push_back({ParseCondition(term)});
    }
  }
  return query;
}

void EncodedQuery::AddEquals(const std::string& field,
                             const std::string& value) {
  for (auto& groups : queries_) {
    groups.push_back({QueryCondition{field, QueryOp::kEquals, {value}}});
  }
}

bool EncodedQuery::Matches(const Record& row, const FieldReader& reader) const {
  for (const auto& groups : queries_) {
    bool all = true;
    for (const Group& group : groups) {
      if (!GroupHolds(group, row, reader)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

EncodedQuery::SortKey EncodedQuery::KeyOf(const Record& row,
                                          const FieldReader& reader) const {
  SortKey key;
  key.reserve(order_.size());
  for (const QueryOrder& order : order_) {
    key.push_back(reader.Read(row, order.field));
  }
  return key;
}

int EncodedQuery::CompareKeys(const SortKey& a, const SortKey& b) const {
  for (size_t i = 0; i < order_.size(); ++i) {
    const std::optional<FieldValue>& x = a[i];
    const std::optional<FieldValue>& y = b[i];
    if (!x || !y) continue;
    int result;
    if (x->text.empty() || y->text.empty()) {
      result = x->text.empty() ? (y->text.empty() ? 0 : -1) : 1;
    } else {
      result = CompareValues(x->text, y->text, x->numeric);
    }
    if (result != 0) return order_[i].descending ? -result : result;
  }
  return 0;
}

int EncodedQuery::Compare(const Record& a, const Record& b,
                          const FieldReader& reader) const {
  return CompareKeys(KeyOf(a, reader), KeyOf(b, reader));
}

}  // namespace ferry::servicenow_sim
