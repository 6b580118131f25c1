#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "connectors/jira/jira_api.h"
#include "mapping/system_schema.h"

namespace ferry::jira {

// The custom fields of one Jira site, from GET /field (Cloud and Data
// Center alike), in Jira's order: each named by its id as mappings write it
// ("customfield_10010"), typed from its `schema.type` (string → text,
// number, date/datetime → time, user, option → lookup; anything else is
// "any"), writable, with its display name as the note ("PagerDuty
// Incident"). System fields are left out: the kind's schema lists them.
// Fails as the API reports, or naming /field when the answer is not a
// list.
absl::StatusOr<std::vector<mapping::FieldSpec>> SiteCustomFields(JiraApi& api);

}  // namespace ferry::jira
