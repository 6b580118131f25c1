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
#include "tools/jira_sim/jql_parser.h"

namespace ferry::jira_sim {
namespace {

enum class Field {
  kProject, kKey, kId, kIssueType, kStatus, kPriority, kSummary, kCreated,
  kUpdated, kCustomText, kCustomNumber,
};

// A resolved field: its kind, the name Jira uses in messages and, for
// custom fields, the field id.
struct FieldRef {
  Field kind;
  std::string name;
  std::string custom_id;
};

struct FieldInfo {
  const char* name;  // the name Jira uses in its messages
  Field field;
};

constexpr FieldInfo kFields[] = {
    {"project", Field::kProject},     {"key", Field::kKey},
    {"issuekey", Field::kKey},        {"id", Field::kId},
    {"issuetype", Field::kIssueType}, {"type", Field::kIssueType},
    {"status", Field::kStatus},       {"priority", Field::kPriority},
    {"summary", Field::kSummary},     {"created", Field::kCreated},
    {"createddate", Field::kCreated}, {"updated", Field::kUpdated},
    {"updateddate", Field::kUpdated},
};

// Real Jira fields this simulator does not search on: refused by name so a
// query using them fails loudly instead of matching too much.
constexpr const char* kUnsupportedJiraFields[] = {
    "assignee", "reporter", "creator", "labels", "text", "description",
    "environment", "comment", "resolution", "resolved", "resolutiondate",
    "duedate", "component", "fixversion", "affectedversion", "parent",
    "sprint", "watcher", "statuscategory", "lastviewed", "votes", "due",
};

constexpr const char* kSupportedList =
    "project, key, id, issuetype, status, priority, summary, created, "
    "updated and custom text or number fields";

const char* FieldName(Field field);

absl::StatusOr<FieldRef> LookupField(const std::string& written,
                                     const JqlCatalog& catalog) {
  std::string lower = absl::AsciiStrToLower(written);
  for (const FieldInfo& info : kFields) {
    if (lower == info.name) return FieldRef{info.field, FieldName(info.field), ""};
  }
  if (std::optional<JqlCustomField> custom = catalog.CustomField(written)) {
    return FieldRef{custom->number ? Field::kCustomNumber : Field::kCustomText,
                    custom->name, custom->id};
  }
  for (const char* name : kUnsupportedJiraFields) {
    if (lower == name) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Error in the JQL Query: the field '", written,
          "' is not supported by the Jira simulator; supported fields are ",
          kSupportedList, "."));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "Field '", written,
      "' does not exist or you do not have permission to view it."));
}

const char* FieldName(Field field) {
  for (const FieldInfo& info : kFields) {
    if (info.field == field) return info.name;
  }
  return "";
}

bool IsDate(Field f) { return f == Field::kCreated || f == Field::kUpdated; }
bool IsLookup(Field f) {
  return f == Field::kProject || f == Field::kIssueType ||
         f == Field::kStatus || f == Field::kPriority;
}

bool OperatorAllowed(Field field, const std::string& op) {
  static const std::set<std::string> kEquality = {"=", "!=", "IN", "NOT IN",
                                                  "IS", "IS NOT"};
  static const std::set<std::string> kText = {"~", "!~", "IS", "IS NOT"};
  static const std::set<std::string> kDate = {
      "=", "!=", "<", "<=", ">", ">=", "IN", "NOT IN", "IS", "IS NOT"};
  static const std::set<std::string> kIdentity = {"=", "!=", "IN", "NOT IN"};
  if (IsLookup(field)) return kEquality.count(op) > 0;
  if (field == Field::kSummary || field == Field::kCustomText) {
    return kText.count(op) > 0;
  }
  if (IsDate(field) || field == Field::kCustomNumber) {
    return kDate.count(op) > 0;
  }
  return kIdentity.count(op) > 0;
}

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

// Project key and number of an issue key, for Jira's key order.
std::pair<std::string, int64_t> SplitKey(const std::string& key) {
  size_t dash = key.rfind('-');
  int64_t number = 0;
  if (dash == std::string::npos ||
      !absl::SimpleAtoi(key.substr(dash + 1), &number)) {
    return {key, 0};
  }
  return {key.substr(0, dash), number};
}

template <typename T>
int Compare(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
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
    if (IsLookup(kind)) return Lookup(kind, clause);
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
    if (IsDate(kind)) return Date(kind, clause);
    return Identity(kind, clause);
  }

  absl::StatusOr<Predicate> Lookup(Field field, const JqlClause& clause) {
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
                         "field '", FieldName(field), "'."));
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

  absl::StatusOr<Predicate> Date(Field field, const JqlClause& clause) {
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
          ResolveJqlDate(v, FieldName(field), zone_, now_);
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

absl::StatusOr<std::function<int(const JqlIssueView&, const JqlIssueView&)>>
SortComparator(const JqlSort& sort, const JqlCatalog& catalog) {
  absl::StatusOr<FieldRef> field = LookupField(sort.field, catalog);
  if (!field.ok()) return field.status();
  std::function<int(const JqlIssueView&, const JqlIssueView&)> ascending;
  std::string id = field->custom_id;
  switch (field->kind) {
    case Field::kKey:
      ascending = [](const JqlIssueView& a, const JqlIssueView& b) {
        return Compare(SplitKey(a.key), SplitKey(b.key));
      };
      break;
    case Field::kProject:
      ascending = [](const JqlIssueView& a, const JqlIssueView& b) {
        return Compare(SplitKey(a.key).first, SplitKey(b.key).first);
      };
      break;
    case Field::kId:
      ascending = [](const auto& a, const auto& b) { return Compare(a.id, b.id); };
      break;
    case Field::kIssueType:
      ascending = [](const auto& a, const auto& b) {
        return Compare(a.issue_type_id, b.issue_type_id);
      };
      break;
    case Field::kStatus:
      ascending = [](const auto& a, const auto& b) {
        return Compare(a.status_name, b.status_name);
      };
      break;
    case Field::kPriority:  // ascending = least important first
      ascending = [](const auto& a, const auto& b) {
        return Compare(b.priority_sequence, a.priority_sequence);
      };
      break;
    case Field::kSummary:
      ascending = [](const auto& a, const auto& b) {
        return Compare(a.summary, b.summary);
      };
      break;
    case Field::kCreated:
      ascending = [](const auto& a, const auto& b) {
        return Compare(a.created, b.created);
      };
      break;
    case Field::kUpdated:
      ascending = [](const auto& a, const auto& b) {
        return Compare(a.updated, b.updated);
      };
      break;
    case Field::kCustomText:
      ascending = [id](const JqlIssueView& a, const JqlIssueView& b) {
        auto find = [&id](const JqlIssueView& i) {
          auto it = i.custom_text.find(id);
          return it == i.custom_text.end() ? std::string() : it->second;
        };
        return Compare(find(a), find(b));
      };
      break;
    case Field::kCustomNumber:
      ascending = [id](const JqlIssueView& a, const JqlIssueView& b) {
        auto find = [&id](const JqlIssueView& i) {
          auto it = i.custom_number.find(id);
          return it == i.custom_number.end() ? std::optional<double>()
                                             : std::optional<double>(it->second);
        };
        return Compare(find(a), find(b));
      };
      break;
  }
  if (!sort.descending) return ascending;
  return [ascending](const JqlIssueView& a, const JqlIssueView& b) {
    return -ascending(a, b);
  };
}

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
    absl::StatusOr<Comparator> comparator = SortComparator(sort, catalog);
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
