#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/pagerduty/pd_api.h"
#include "connectors/pagerduty/pd_identity.h"
#include "proto/control.pb.h"

namespace ferry::pagerduty {

// Checks a PagerDuty system for Ferry: the URL and token work, who the
// integration user is (PdIdentity), its base role, and per service in
// `services` what its roles allow: reading needs Observer, writing needs
// Responder, from the base role or a team role on a team that owns the
// service. Per-service object roles have no REST endpoint, so a service
// override is only found by a refused write (PdWriter reports those).
//
// Returns a response (ok = false, with problems that say the fix) for
// everything PagerDuty answers, including a refused token; an error only
// when PagerDuty cannot be reached (UNAVAILABLE, DEADLINE_EXCEEDED, ...).
absl::StatusOr<ferry::v1::CheckSystemResponse> CheckPagerDuty(
    const PdApi& api, PdIdentity& identity, const std::vector<std::string>& services);

}  // namespace ferry::pagerduty
