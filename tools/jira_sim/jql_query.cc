#include "tools/jira_sim/jql_query.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/jira_sim/jql_dates.h"
#include "tools/jira_sim/jql_fields.h"
#include "tools/jira_sim/jql_parser.h"

namespace ferry::jira_sim {
namespace {

using jql_internal::Field;
using jql_internal::FieldRef;
using jql_internal::IsDate;
using jql_internal::IsLookup;
using jql_internal::LookupField;
using jql_internal::OperatorAllowed;

bool IsNegative(const std::string& op) {
  return op == "!=" || op == "NOT IN" || op == "IS NOT" || op == "!~";
}

// Splits text into lower-case words of letters and digits.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '*' ||
        static_cast<unsigned char>(c) >= 0x80) {
      current.push_back(absl::ascii_tolower(c));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

bool TextMatches(const std::vector<std::string>& terms,
                 const std::string& summary) {
  std::vector<std::string> words = Words(summary);
  for (const std::string& term : terms) {
    bool prefix = !term.empty() && term.back() == '*';
    std::string stem = prefix ? term.substr(0, term.size() - 1) : term;
    bool found = std::any_of(words.begin(), words.end(), [&](const auto& w) {
      return prefix ? w.compare(0, stem.size(), stem) == 0 : w == stem;
    });
    if (!found) return false;
  }
  return true;
}

class Compiler {
 public:
  Compiler(const JqlCatalog& catalog, absl::TimeZone zone, absl::Time now)
      : catalog_(catalog), zone_(zone), now_(now) {}

  using Predicate = std::function<bool(const JqlIssueView&)>;

  absl::StatusOr<Predicate> Node(const JqlNode& node) {
    if (node.kind == JqlNode::Kind::kClause) return Clause(node.clause);
    std::vector<Predicate> children;
    for (const JqlNode& child : node.children) {
      absl::StatusOr<Predicate> compiled = Node(child);
      if (!compiled.ok()) return compiled.status();
      children.push_back(*std::move(compiled));
    }
    switch (node.kind) {
      case JqlNode::Kind::kNot:
        return Predicate([c = children[0]](const JqlIssueView& i) {
          return !c(i);
        });
      case JqlNode::Kind::kAnd:
        return Predicate([children](const JqlIssueView& i) {
          return std::all_of(children.begin(), children.end(),
                             [&](const Predicate& c) { return c(i); });
        });
      default:
        return Predicate([children](const JqlIssueView& i) {
          return std::any_of(children.begin(), children.end(),
                             [&](const Predicate& c) { return c(i); });
        });
    }
  }

 private:
  static std::string Rendered(const JqlClause& clause) {
    std::vector<std::string> texts;
    for (const JqlOperand& v : clause.values) texts.push_back(v.text);
    return clause.list ? absl::StrCat("(", absl::StrJoin(texts, ", "), ")")
                       : texts.front();
  }

  absl::Status CheckShape(const FieldRef& field, const JqlClause& clause) {
    const std::string& name = field.name;
    if (!OperatorAllowed(field.kind, clause.op)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "The operator '", absl::AsciiStrToLower(clause.op),
          "' is not supported by the ", name, " field."));
    }
    bool wants_list = clause.op == "IN" || clause.op == "NOT IN";
    if (wants_list != clause.list) {
      return absl::InvalidArgumentError(absl::StrCat(
          "The operator '", absl::AsciiStrToLower(clause.op),
          "' does not support the ", clause.list ? "list" : "non-list",
          " value '", Rendered(clause), "' for field '", name, "'."));
    }
    bool is_op = clause.op == "IS" || clause.op == "IS NOT";
    for (const JqlOperand& v : clause.values) {
      if (is_op && !v.empty) {
        return absl::InvalidArgumentError(absl::StrCat(
            "The operator '", absl::AsciiStrToLower(clause.op),
            "' only supports EMPTY or NULL; got '", v.text, "' for field '",
            name, "'."));
      }
      if (v.empty && clause.op != "=" && clause.op != "!=" && !is_op) {
        return absl::InvalidArgumentError(absl::StrCat(
            "The operator '", absl::AsciiStrToLower(clause.op),
            "' does not support EMPTY for field '", name, "'."));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Predicate> Clause(const JqlClause& clause) {
    absl::StatusOr<FieldRef> field = LookupField(clause.field, catalog_);
    if (!field.ok()) return field.status();
    absl::Status shape = CheckShape(*field, clause);
    if (!shape.ok()) return shape;
    Field kind = field->kind;
    if (IsLookup(kind)) return Lookup(*field, clause);
    if (kind == Field::kSummary) {
      return Text("summary", clause,
                  [](const JqlIssueView& i) { return i.summary; });
    }
    if (kind == Field::kCustomText) {
      return Text(field->name, clause, [id = field->custom_id](const JqlIssueView& i) {
        auto it = i.custom_text.find(id);
        return it == i.custom_text.end() ? std::string() : it->second;
      });
    }
    if (kind == Field::kCustomNumber) return Number(*field, clause);
    if (IsDate(kind)) return Date(*field, clause);
    return Identity(kind, clause);
  }

  absl::StatusOr<Predicate> Lookup(const FieldRef& ref, const JqlClause& clause) {
    Field field = ref.kind;
    std::set<std::string> ids;
    for (const JqlOperand& v : clause.values) {
      if (v.empty) {
        ids.insert("");
        continue;
      }
      std::optional<std::string> id =
          field == Field::kProject     ? catalog_.ProjectId(v.text)
          : field == Field::kIssueType ? catalog_.IssueTypeId(v.text)
          : field == Field::kStatus    ? catalog_.StatusId(v.text)
                                       : catalog_.PriorityId(v.text);
      if (!id) {
        return absl::InvalidArgumentError(
            absl::StrCat("The value '", v.text, "' does not exist for the "
                         "field '", ref.name, "'."));
      }
      ids.insert(*id);
    }
    auto value = [field](const JqlIssueView& i) -> const std::string& {
      return field == Field::kProject     ? i.project_id
             : field == Field::kIssueType ? i.issue_type_id
             : field == Field::kStatus    ? i.status_id
                                          : i.priority_id;
    };
    bool negative = IsNegative(clause.op);
    return Predicate([ids, value, negative](const JqlIssueView& i) {
      const std::string& v = value(i);
      bool member = ids.count(v) > 0;
      return negative ? !member && !v.empty() : member;
    });
  }

  absl::StatusOr<Predicate> Identity(Field field, const JqlClause& clause) {
    std::set<int64_t> ids;
    for (const JqlOperand& v : clause.values) {
      int64_t id = 0;
      if (field == Field::kKey) {
        std::optional<int64_t> found = catalog_.IssueIdForKey(v.text);
        if (!found) {
          return absl::InvalidArgumentError(
              absl::StrCat("An issue with key '", v.text,
                           "' does not exist for field 'key'."));
        }
        id = *found;
      } else if (v.empty || !absl::SimpleAtoi(v.text, &id)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "The value '", v.text, "' does not exist for the field 'id'."));
      }
      ids.insert(id);
    }
    bool negative = IsNegative(clause.op);
    return Predicate([ids, negative](const JqlIssueView& i) {
      return (ids.count(i.id) > 0) != negative;
    });
  }

  // ~ and !~ (every word must occur), IS [NOT] EMPTY, on the text that
  // `value` reads.
  absl::StatusOr<Predicate> Text(
      const std::string& name, const JqlClause& clause,
      std::function<std::string(const JqlIssueView&)> value) {
    const JqlOperand& v = clause.values.front();
    bool negative = IsNegative(clause.op);
    if (v.empty) {
      return Predicate([negative, value](const JqlIssueView& i) {
        return value(i).empty() != negative;
      });
    }
    std::vector<std::string> terms = Words(v.text);
    if (terms.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "The field '", name, "' does not support searching for '", v.text,
          "'; give at least one word."));
    }
    return Predicate([terms, negative, value](const JqlIssueView& i) {
      std::string text = value(i);
      return !text.empty() && TextMatches(terms, text) != negative;
    });
  }

  absl::StatusOr<Predicate> Number(const FieldRef& field,
                                   const JqlClause& clause) {
    std::string id = field.custom_id;
    auto value = [id](const JqlIssueView& i) -> std::optional<double> {
      auto it = i.custom_number.find(id);
      if (it == i.custom_number.end()) return std::nullopt;
      return it->second;
    };
    bool negative = IsNegative(clause.op);
    if (clause.values.front().empty) {
      return Predicate([value, negative](const JqlIssueView& i) {
        return !value(i).has_value() != negative;
      });
    }
    std::vector<double> numbers;
    for (const JqlOperand& v : clause.values) {
      double n = 0;
      if (!absl::SimpleAtod(v.text, &n)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "The value '", v.text, "' is not a number for the field '",
            field.name, "'."));
      }
      numbers.push_back(n);
    }
    const std::string op = clause.op;
    return Predicate([op, numbers, value, negative](const JqlIssueView& i) {
      std::optional<double> n = value(i);
      if (!n) return false;
      double at = numbers.front();
      if (op == "<") return *n < at;
      if (op == "<=") return *n <= at;
      if (op == ">") return *n > at;
      if (op == ">=") return *n >= at;
      bool member = std::find(numbers.begin(), numbers.end(), *n) != numbers.end();
      return member != negative;
    });
  }

  absl::StatusOr<Predicate> Date(const FieldRef& ref, const JqlClause& clause) {
    Field field = ref.kind;
    bool negative = IsNegative(clause.op);
    auto value = [field](const JqlIssueView& i) {
      return field == Field::kCreated ? i.created : i.updated;
    };
    if (clause.values.front().empty) {  // dates are always set
      return Predicate([negative](const JqlIssueView&) { return negative; });
    }
    std::vector<JqlDateRange> ranges;
    for (const JqlOperand& v : clause.values) {
      absl::StatusOr<JqlDateRange> range =
          ResolveJqlDate(v, ref.name, zone_, now_);
      if (!range.ok()) return range.status();
      ranges.push_back(*range);
    }
    const std::string op = clause.op;
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
      absl::Time at = ranges.front().begin;
      return Predicate([op, at, value](const JqlIssueView& i) {
        absl::Time t = value(i);
        return op == "<"    ? t < at
               : op == "<=" ? t <= at
               : op == ">"  ? t > at
                            : t >= at;
      });
    }
    return Predicate([ranges, value, negative](const JqlIssueView& i) {
      absl::Time t = value(i);
      bool inside = std::any_of(ranges.begin(), ranges.end(), [&](auto& r) {
        return r.begin <= t && t < r.end;
      });
      return inside != negative;
    });
  }

  const JqlCatalog& catalog_;
  absl::TimeZone zone_;
  absl::Time now_;
};


}  // namespace

absl::StatusOr<JqlQuery> JqlQuery::Compile(const std::string& jql,
                                           const JqlCatalog& catalog,
                                           absl::TimeZone user_zone,
                                           absl::Time now) {
  absl::StatusOr<JqlAst> ast = ParseJql(jql);
  if (!ast.ok()) return ast.status();
  JqlQuery query;
  if (ast->where) {
    absl::StatusOr<Predicate> where =
        Compiler(catalog, user_zone, now).Node(*ast->where);
    if (!where.ok()) return where.status();
    query.where_ = *std::move(where);
  }
  std::vector<JqlSort> order = ast->order_by;
  if (order.empty()) order.push_back(JqlSort{"key", true});
  for (const JqlSort& sort : order) {
    absl::StatusOr<Comparator> comparator =
        jql_internal::SortComparator(sort, catalog);
    if (!comparator.ok()) return comparator.status();
    query.order_.push_back(*std::move(comparator));
  }
  return query;
}

bool JqlQuery::Matches(const JqlIssueView& issue) const {
  return !where_ || where_(issue);
}

void JqlQuery::Sort(std::vector<const JqlIssueView*>* issues) const {
  std::stable_sort(issues->begin(), issues->end(),
                   [this](const JqlIssueView* a, const JqlIssueView* b) {
                     for (const Comparator& compare : order_) {
                       int c = compare(*a, *b);
                       if (c != 0) return c < 0;
                     }
                     return a->id < b->id;
                   });
}

}  // namespace ferry::jira_sim
