#pragma once

#include <vector>

#include "connectors/pagerduty/pd_options.pb.h"
#include "engine/config/system_options.h"
#include "proto/config.pb.h"

namespace ferry::pagerduty {

// The rules between PagerDutyOptions fields that their types cannot say:
// push mode (webhook_listen) needs exactly one signing secret source; the
// webhook TLS certificate and key come together; a secret or TLS needs
// webhook_listen. Empty when the options are sound. Pure.
std::vector<config::OptionProblem> CheckPagerDutyOptions(const PagerDutyOptions& options);

// Where the webhook signing secret is, from the options; names no source
// when neither webhook_secret_env nor webhook_secret_file is set.
ferry::v1::SecretRef WebhookSecretRef(const PagerDutyOptions& options);

// The webhook receiver's TLS files, named by their options
// (webhook_tls_cert_file, webhook_tls_key_file), for config::ReadTlsFiles;
// empty when push mode serves plain HTTP (webhook_listen unset, or no TLS
// file set). Pure.
std::vector<config::TlsSettings> WebhookTlsSettings(const PagerDutyOptions& options);

// PagerDuty's options for its descriptor: the PagerDutyOptions prototype,
// CheckPagerDutyOptions, the webhook signing secret as the one secret to
// check when webhook_listen is set (the connector reads it only then), and
// WebhookTlsSettings as the TLS files to load.
config::SystemOptionsSpec PagerDutyOptionsSpec();

}  // namespace ferry::pagerduty
