#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "http/retry_policy.h"
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
// ca_bundle, requests_per_minute, and typed_options, a PagerDutyOptions
// (pd_options.proto; the config loader reads the YAML options: block into
// it and checks it with CheckPagerDutyOptions):
//   status_updates_as_comments: true to read status updates as comments;
//   reescalate_acknowledged: true to re-escalate an acknowledged incident
//     that is set to triggered (see PdWriter) instead of failing;
//   webhook_listen: "HOST:PORT" (e.g. "0.0.0.0:8095") turns on push mode:
//     the connector runs a PdWebhookReceiver there (path
//     /pagerduty/webhook) for its whole life, and every new, correctly
//     signed webhook v3 delivery calls `context.wake`, so the system's
//     readers poll at once; polling at the integration's interval stays
//     the safety net for lost webhooks;
//   webhook_secret_env: VARIABLE / webhook_secret_file: PATH: where the
//     subscription's signing secret is (exactly one, and only together
//     with webhook_listen; never inline). It is resolved once, here, and
//     kept out of every log line and message.
//
// Systems of one process with the same url, token and ca_bundle share one
// read of the account's log (AccountLogs): each fetch wakes the readers of
// all of them (`context.wake` of each).
//
// INVALID_ARGUMENT, naming the setting, for an empty url or token,
// options that are not a PagerDutyOptions (or only the untyped map), or
// webhook options that do not go together; NOT_FOUND / PERMISSION_DENIED, naming the
// variable or file, for a signing secret that cannot be read;
// UNAVAILABLE, naming webhook_listen and its address, when the receiver
// cannot bind.
absl::StatusOr<std::unique_ptr<engine::Connector>> MakePagerDutyConnector(
    const ferry::v1::SystemConfig& system, const std::string& secret,
    const engine::ConnectorContext& context = {},
    const http::RetryPolicy& retry = {});

// The port `connector`'s webhook receiver is bound to (the OS's choice for
// webhook_listen port 0). NOT_FOUND when `connector` is not a pagerduty
// connector or has no webhook_listen.
absl::StatusOr<int> WebhookPort(const engine::Connector& connector);

}  // namespace ferry::pagerduty
