#include "connectors/servicenow/sn_schema.h"

#include <memory>

#include "absl/strings/match.h"
#include "connectors/servicenow/sn_query_dialect.h"

namespace ferry::servicenow {
namespace {

using FT = mapping::FieldType;
using W = mapping::Writability;

// The default incident state model and choice lists of a new instance
// (Incident Management: state model; priority lookup rules).
const std::vector<Choice>& StateChoices() {
  static const auto* const choices = new std::vector<Choice>{
      {"New", "1"},      {"In Progress", "2"}, {"On Hold", "3"},
      {"Resolved", "6"}, {"Closed", "7"},      {"Canceled", "8"},
  };
  return *choices;
}

const std::vector<Choice>& ImpactUrgencyChoices() {
  static const auto* const choices =
      new std::vector<Choice>{{"1 - High", "1"}, {"2 - Medium", "2"}, {"3 - Low", "3"}};
  return *choices;
}

const std::vector<Choice>& PriorityChoices() {
  static const auto* const choices = new std::vector<Choice>{
      {"1 - Critical", "1"}, {"2 - High", "2"},     {"3 - Moderate", "3"},
      {"4 - Low", "4"},      {"5 - Planning", "5"},
  };
  return *choices;
}

const std::vector<Choice>& HoldReasonChoices() {
  static const auto* const choices = new std::vector<Choice>{
      {"Awaiting Caller", "1"},
      {"Awaiting Change", "5"},
      {"Awaiting Problem", "3"},
      {"Awaiting Vendor", "4"},
  };
  return *choices;
}

std::vector<std::string> Labels(const std::vector<Choice>& choices) {
  std::vector<std::string> labels;
  for (const Choice& choice : choices) labels.emplace_back(choice.label);
  return labels;
}

// Table API: incident. Field names are the table's column names; lengths
// are the default dictionary's (short_description 160, text fields 4000).
mapping::SystemSchema MakeSchema() {
  mapping::SystemSchema s;
  s.kind = "servicenow";
  s.fields = {
      {"number",
       FT::kText,
       W::kReadOnly,
       0,
       {},
       "incident numbers (INC0010001) are assigned by ServiceNow"},
      {"short_description",
       FT::kText,
       W::kWritable,
       160,
       {},
       "ServiceNow limits short descriptions to 160 characters"},
      {"description", FT::kText, W::kWritable, 4000, {}, ""},
      {"state", FT::kLookup, W::kWritable, 0, Labels(StateChoices()),
       "moving to Resolved also writes close_code and close_notes, to On Hold hold_reason"},
      {"impact", FT::kLookup, W::kWritable, 0, Labels(ImpactUrgencyChoices()),
       "with urgency, decides priority"},
      {"urgency", FT::kLookup, W::kWritable, 0, Labels(ImpactUrgencyChoices()),
       "with impact, decides priority"},
      {"priority", FT::kLookup, W::kReadOnly, 0, Labels(PriorityChoices()),
       "ServiceNow computes it from impact and urgency: map to impact and urgency instead"},
      {"hold_reason", FT::kLookup, W::kWritable, 0, Labels(HoldReasonChoices()),
       "needed by On Hold; the options' hold_reason when the mapping writes none"},
      {"close_code",
       FT::kLookup,
       W::kWritable,
       0,
       {},
       "close codes are instance configuration; the options' close_code when the mapping writes "
       "none"},
      {"close_notes", FT::kText, W::kWritable, 4000, {}, ""},
      {"assignment_group", FT::kText, W::kWritable, 0, {}, "the sys_id of a sys_user_group"},
      {"assigned_to", FT::kUser, W::kWritable, 0, {}, "the sys_id of a sys_user"},
      {"caller_id", FT::kUser, W::kWritable, 0, {}, "the sys_id of a sys_user"},
      {"category", FT::kLookup, W::kWritable, 0, {}, "categories are instance configuration"},
      {"correlation_id",
       FT::kText,
       W::kReadOnly,
       0,
       {},
       "Ferry keeps the source incident here to find it after a crash"},
      {"correlation_display",
       FT::kText,
       W::kReadOnly,
       0,
       {},
       "Ferry names the source system here (options' correlation_display)"},
      {"sys_id", FT::kText, W::kReadOnly, 0, {}, "set by ServiceNow"},
      {"sys_created_on", FT::kTime, W::kReadOnly, 0, {}, "set by ServiceNow"},
      {"sys_updated_on", FT::kTime, W::kReadOnly, 0, {}, "set by ServiceNow"},
  };
  s.status_field = "state";
  s.query_dialect = std::make_shared<EncodedQueryDialect>();
  s.lookup_example = "correlation_id=@Id@";
  s.criteria_example = "active=true^priority<=2";
  s.comment_kinds = {std::string(kCommentsKind), std::string(kWorkNotesKind)};
  // Journal entries are stored in sys_journal_field.value (4000 by default).
  s.comment_max_length = 4000;
  return s;
}

}  // namespace

const mapping::SystemSchema& ServiceNowSchema() {
  static const mapping::SystemSchema* const schema = new mapping::SystemSchema(MakeSchema());
  return *schema;
}

const std::vector<Choice>& ChoicesOf(absl::string_view field) {
  static const auto* const none = new std::vector<Choice>();
  if (field == "state") return StateChoices();
  if (field == "impact" || field == "urgency") return ImpactUrgencyChoices();
  if (field == "priority") return PriorityChoices();
  if (field == "hold_reason") return HoldReasonChoices();
  return *none;
}

std::optional<std::string> CodeOf(absl::string_view field, absl::string_view value) {
  const std::vector<Choice>& choices = ChoicesOf(field);
  if (choices.empty()) return std::string(value);
  for (const Choice& choice : choices) {
    if (absl::EqualsIgnoreCase(choice.label, value) || choice.code == value) {
      return std::string(choice.code);
    }
  }
  return std::nullopt;
}

std::string LabelOf(absl::string_view field, absl::string_view code) {
  for (const Choice& choice : ChoicesOf(field)) {
    if (choice.code == code) return std::string(choice.label);
  }
  return std::string(code);
}

}  // namespace ferry::servicenow
