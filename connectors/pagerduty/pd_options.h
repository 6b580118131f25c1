#pragma once

#include <vector>

#include "connectors/pagerduty/pd_options.pb.h"
#include "engine/config/system_options.h"

namespace ferry::pagerduty {

// The rules between PagerDutyOptions fields that their types cannot say:
// push mode (webhook_listen) needs exactly one signing secret source; the
// webhook TLS certificate and key come together; a secret or TLS needs
// webhook_listen. Empty when the options are sound. Pure.
std::vector<config::OptionProblem> CheckPagerDutyOptions(const PagerDutyOptions& options);

// PagerDuty's options for its descriptor: the PagerDutyOptions prototype
// and CheckPagerDutyOptions.
config::SystemOptionsSpec PagerDutyOptionsSpec();

}  // namespace ferry::pagerduty
