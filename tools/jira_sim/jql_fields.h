#pragma once

// Internal to the jql library: which fields JQL knows, which operators
// each takes, and how each sorts. Used by jql_query.cc.

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "tools/jira_sim/jql_parser.h"
#include "tools/jira_sim/jql_query.h"

namespace ferry::jira_sim::jql_internal {

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

// Resolves a field as written (any case; aliases such as `type`,
// `issuekey`, `createdDate`; custom fields through `catalog`). Fails with
// Jira's "Field 'x' does not exist..." for unknown names and with a
// simulator message for real Jira fields it does not search.
absl::StatusOr<FieldRef> LookupField(const std::string& written,
                                     const JqlCatalog& catalog);

bool IsDate(Field f);
// project, issuetype, status, priority: matched by id.
bool IsLookup(Field f);
// Whether `op` (upper case, as the parser writes it) applies to `field`.
bool OperatorAllowed(Field field, const std::string& op);

// <0, 0, >0 like strcmp.
using JqlComparator =
    std::function<int(const JqlIssueView&, const JqlIssueView&)>;

// The comparator of one ORDER BY item (direction applied). Fails like
// LookupField.
absl::StatusOr<JqlComparator> SortComparator(const JqlSort& sort,
                                             const JqlCatalog& catalog);

}  // namespace ferry::jira_sim::jql_internal
