#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "connectors/http/retry_policy.h"
#include "engine/connector/connector.h"
#include "engine/connector/connector_context.h"
#include "proto/config.pb.h"

namespace ferry::pagerduty {

// The "pagerduty" connector kind (registered with the ConnectorRegistry by
// pd_connector.cc). One per configured system; readers and writers share its
// HttpClient (keep-alive connections, retries) and one request budget of
// SystemConfig.requests_per_minute (default 960, PagerDuty's documented
// limit per token), so every integration of the system draws on one budget.
//
// SystemConfig: url (the REST API base, "https://api.pagerduty.com"), token
// (`secret`, sent as "Token token=..."; kept out of every message),
// user_email (the From header on writes; required with account tokens),
// ca_bundle, requests_per_minute, and options:
//   status_updates_as_comments: "true" to read status updates as comments;
//   reescalate_acknowledged: "true" to re-escalate an acknowledged incident
//     that is set to triggered (see PdWriter) instead of failing.
//
// INVALID_ARGUMENT, naming the setting, for an empty url or token or an
// unknown option.
absl::StatusOr<std::unique_ptr<engine::Connector>> MakePagerDutyConnector(
    const ferry::v1::SystemConfig& system, const std::string& secret,
    const engine::ConnectorContext& context = {},
    const http::RetryPolicy& retry = {});

}  // namespace ferry::pagerduty
