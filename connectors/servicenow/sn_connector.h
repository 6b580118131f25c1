#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "engine/connector/connector.h"
#include "engine/connector/connector_context.h"
#include "proto/config.pb.h"

namespace ferry::servicenow {

// The ServiceNow connector for one configured system; registered as kind
// "servicenow" (schema sn_schema.h, options sn_options.h).
//
// SystemConfig: `url` (the instance, https://<name>.service-now.com),
// `username` (the integration user's user name: Basic and OAuth sign in
// with it, and readers recognise its own changes by it; with auth bearer
// it names the token's user), `token` (that user's password, or with auth
// bearer an access token), `ca_bundle`, `requests_per_minute` (0: no
// pace of Ferry's own; the instance's rate-limit rules are per hour and
// their 429s pause the credential's budget either way), and options (sn_options.proto).
//
// Projects: "incident" (the whole incident table) or the sys_id of an
// assignment group (sn_query_dialect.h, ProjectQuery).
//
// CheckSystem, each missing piece a problem with its fix:
//   - the URL answers and the credentials are accepted (401 names the
//     settings of the auth kind);
//   - the integration user in sys_user (name, e-mail, roles): without
//     itil (or admin) among its roles it may not write incidents;
//   - it may read incident (role itil), sys_journal_field and sys_audit
//     (role audit_viewer: comments, work notes and field history), each
//     probed with a one-row read;
//   - each project is "incident" or an existing assignment group.
// When sys_user hides the user's roles, write access cannot be seen
// without writing: a warning says the first write shows it.
//
// Readers: ServiceNowReader (sn_reader.h) for the project's incidents,
// recognising the integration user by `username`. Writers: SnWriter
// (sn_writer.h). Both share one TableClient, so one OAuth token.
//
// Thread-safe.
absl::StatusOr<std::unique_ptr<ferry::engine::Connector>> MakeServiceNowConnector(
    const ferry::v1::SystemConfig& system, const std::string& secret,
    const ferry::engine::ConnectorContext& context = {});

}  // namespace ferry::servicenow
