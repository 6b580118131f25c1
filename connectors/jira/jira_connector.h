#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "engine/connector/connector.h"
#include "engine/connector/connector_context.h"
#include "proto/config.pb.h"

namespace ferry::jira {

// The Jira connector for one configured system; registered as kind "jira".
//
// SystemConfig: `url` (the site), `token` (Cloud API token or Data Center
// personal access token; with `username`, a Data Center password or token
// for Basic auth), `user_email` (Cloud), `ca_bundle`, and options:
//   deployment       cloud | datacenter; detected from /serverInfo if unset
//   overlap_seconds  how far readers search before their checkpoint (60)
//   transition_fields  values for fields transition screens ask for, by
//                      field id (the writer's; see jira_writer.h)
// requests_per_minute 0 sets no pace of Ferry's own (Jira documents no
// fixed rate): Data Center's rate-limit headers pace the budget when it
// sends them (Basic auth; see http/token_bucket.h), and 429s are honoured
// either way.
//
// CheckSystem: the integration user from /myself (with its profile time
// zone), and per project whether it may browse, create, edit, transition
// and comment (/mypermissions); each missing permission is a problem that
// names the project and the permission to grant. Then, as far as a
// non-admin can see the workflows (the transitions, with their screens,
// out of the statuses the project's 50 most recently updated issues are
// in), each transition field Ferry could not fill is a problem naming the
// transition, the field and the transition_fields line that fixes it; a
// capability line names the statuses seen. Readers learn the
// integration user from /myself once, on the first NewReader.
//
// SiteFields: the site's custom fields by id and name (jira_site_fields.h).
//
// Thread-safe.
absl::StatusOr<std::unique_ptr<ferry::engine::Connector>> MakeJiraConnector(
    const ferry::v1::SystemConfig& system, const std::string& secret,
    const ferry::engine::ConnectorContext& context = {});

}  // namespace ferry::jira
