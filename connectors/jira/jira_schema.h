#pragma once

#include "mapping/system_schema.h"

namespace ferry::jira {

// The fields, rules, query dialect (JQL) and comment kind ("comment") of
// Jira issues, as mappings see them; kind "jira". Plain data with no HTTP
// client, so config validation and mapping tests can link it alone; the
// connector registers it with its descriptor. Built once; thread-safe.
const mapping::SystemSchema& JiraSchema();

}  // namespace ferry::jira
