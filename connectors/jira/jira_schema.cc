#include "connectors/jira/jira_schema.h"

#include <memory>

#include "connectors/query/jql_dialect.h"

namespace ferry::jira {
namespace {

using FT = mapping::FieldType;
using W = mapping::Writability;

// Jira REST API: Issues (Create issue, Edit issue, Get transitions) and
// Issue comments. Field names are Jira's field ids.
mapping::SystemSchema MakeSchema() {
  mapping::SystemSchema s;
  s.kind = "jira";
  s.fields = {
      {"summary", FT::kText, W::kWritable, 255, {}, "Jira limits summaries to 255 characters"},
      // Jira's default text field limit (jira.text.field.character.limit).
      {"description", FT::kText, W::kWritable, 32767, {}, ""},
      {"environment", FT::kText, W::kWritable, 32767, {}, ""},
      {"status", FT::kLookup, W::kWritable, 0, {},
       "status changes go through workflow transitions"},
      {"priority", FT::kLookup, W::kWritable, 0, {}, "priority names are site configuration"},
      {"resolution", FT::kLookup, W::kWritable, 0, {},
       "written with the status, on the transition's Resolution screen"},
      // Labels cannot contain spaces, so a space-separated text is lossless.
      {"labels", FT::kText, W::kWritable, 0, {}, "labels, separated by spaces"},
      {"assignee", FT::kUser, W::kWritable, 0, {}, ""},
      {"reporter", FT::kUser, W::kWritable, 0, {}, ""},
      {"duedate", FT::kTime, W::kWritable, 0, {}, ""},
      {"issuetype", FT::kLookup, W::kCreateOnly, 0, {},
       "an issue's type changes only by moving it in Jira"},
      {"project", FT::kLookup, W::kReadOnly, 0, {},
       "the project comes from the integration's target"},
      {"key", FT::kText, W::kReadOnly, 0, {}, "issue keys are assigned by Jira"},
      {"id", FT::kText, W::kReadOnly, 0, {}, "issue ids are assigned by Jira"},
      {"created", FT::kTime, W::kReadOnly, 0, {}, "set by Jira"},
      {"updated", FT::kTime, W::kReadOnly, 0, {}, "set by Jira"},
  };
  s.custom_field_prefix = "customfield_";
  s.custom_field = {"customfield_NNNNN", FT::kAny, W::kWritable, 0, {}, ""};
  s.status_field = "status";
  s.query_dialect = std::make_shared<query::JqlDialect>();
  s.comment_kinds = {"comment"};
  s.comment_max_length = 32767;
  return s;
}

}  // namespace

const mapping::SystemSchema& JiraSchema() {
  static const mapping::SystemSchema* const schema = new mapping::SystemSchema(MakeSchema());
  return *schema;
}

}  // namespace ferry::jira
