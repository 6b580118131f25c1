#include "connectors/pagerduty/pd_schema.h"

#include <memory>

#include "connectors/query/url_query_dialect.h"

namespace ferry::pagerduty {
namespace {

using FT = mapping::FieldType;
using W = mapping::Writability;

// PagerDuty REST API: Incidents (Get an incident, Update an incident,
// List incidents). Field names follow the labels OpsHub users know.
mapping::SystemSchema MakeSchema() {
  mapping::SystemSchema s;
  s.kind = "pagerduty";
  s.fields = {
      {"Incident Key", FT::kText, W::kCreateOnly, 0, {},
       "PagerDuty sets incident_key on create only; it is read-only after"},
      {"Number", FT::kNumber, W::kReadOnly, 0, {}, "incident_number is assigned by PagerDuty"},
      {"Id", FT::kText, W::kReadOnly, 0, {}, "the incident id is assigned by PagerDuty"},
      {"Title", FT::kText, W::kWritable, 0, {}, ""},
      {"Description", FT::kText, W::kCreateOnly, 0, {},
       "PagerDuty accepts body.details on create only; PUT ignores it"},
      {"Status", FT::kLookup, W::kWritable, 0, {"triggered", "acknowledged", "resolved"}, ""},
      {"Priority", FT::kLookup, W::kWritable, 0, {}, "priority names are account configuration"},
      {"Urgency", FT::kLookup, W::kWritable, 0, {"high", "low"}, ""},
      {"Conference Number", FT::kText, W::kWritable, 0, {}, ""},
      {"Conference URL", FT::kText, W::kWritable, 0, {}, ""},
      {"Service", FT::kLookup, W::kWritable, 0, {}, "a service reference"},
      {"Assignee", FT::kUser, W::kWritable, 0, {}, ""},
      {"Escalation Policy", FT::kLookup, W::kWritable, 0, {}, ""},
      {"Created", FT::kTime, W::kReadOnly, 0, {}, "set by PagerDuty"},
      {"Updated", FT::kTime, W::kReadOnly, 0, {}, "set by PagerDuty"},
      {"URL", FT::kText, W::kReadOnly, 0, {}, "html_url is set by PagerDuty"},
  };
  s.status_field = "Status";
  // Observed: PUT /incidents/{id} with an empty conference_bridge sub-field
  // leaves the value as it was, and no API call removes a bridge.
  // PagerDuty documents no way to unset a priority (PUT with priority null
  // is not described), so a clear is reported rather than risked.
  s.cannot_clear = {{"Conference Number", "PagerDuty cannot unset it"},
                    {"Conference URL", "PagerDuty cannot unset it"},
                    {"Priority", "PagerDuty documents no way to unset it"}};
  // PUT status accepts acknowledged/resolved/triggered, but acknowledged →
  // triggered is refused (OpsHub raises a failure for it too).
  s.forbidden_transitions = {{"acknowledged", "triggered"}};
  s.query_dialect = std::make_shared<query::UrlQueryDialect>();
  // GET /incidents filters; OIM supports statuses[] and incident_key.
  s.query_params = {{"statuses", "Status"},
                    {"incident_key", "Incident Key"},
                    {"urgencies", "Urgency"},
                    {"service_ids", "Service"},
                    {"priority_ids", "Priority"},
                    {"ID", "Id"}};
  s.criteria_example = "statuses[]=triggered&statuses[]=acknowledged";
  s.lookup_example = "incident_key=@Field@ or ID=@Field@";
  // The plain kind first: notes; status updates are the other kind the
  // reader reports (PagerDuty REST API: List log entries).
  s.comment_kinds = {"note", "status_update"};
  return s;
}

}  // namespace

const mapping::SystemSchema& PagerDutySchema() {
  static const mapping::SystemSchema* const schema = new mapping::SystemSchema(MakeSchema());
  return *schema;
}

}  // namespace ferry::pagerduty
