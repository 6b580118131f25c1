#pragma once

#include "mapping/system_schema.h"

namespace ferry::pagerduty {

// The fields, rules, query dialect (URL query parameters) and comment kinds
// ("note", "status_update") of PagerDuty incidents, as mappings see them;
// kind "pagerduty". Plain data with no HTTP client, so config validation
// and mapping tests can link it alone; the connector registers it with its
// descriptor. Built once; thread-safe.
const mapping::SystemSchema& PagerDutySchema();

}  // namespace ferry::pagerduty
