#include "tools/jira_sim/jql_fields.h"

#include <optional>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ferry::jira_sim::jql_internal {
namespace {

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

const char* FieldName(Field field) {
  for (const FieldInfo& info : kFields) {
    if (info.field == field) return info.name;
  }
  return "";
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

}  // namespace

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

absl::StatusOr<JqlComparator> SortComparator(const JqlSort& sort, const JqlCatalog& catalog) {
  absl::StatusOr<FieldRef> field = LookupField(sort.field, catalog);
  if (!field.ok()) return field.status();
  JqlComparator ascending;
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


}  // namespace ferry::jira_sim::jql_internal
