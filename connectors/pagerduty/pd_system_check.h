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
// service. Per-service object roles have no REST endpoint: a user who can
// read a service but has no Responder role we can see is reported as a
// warning ("write service X: cannot be seen, the first write will tell"),
// not a problem, since a service role may grant it; a refused write then
// names the fix (PdWriter). Read-only licences (read_only_user,
// read_only_limited_user) can never write: a problem.
//
// Returns a response (ok = false, with problems that say the fix) for
// everything PagerDuty answers, including a refused token; an error only
// when PagerDuty cannot be reached (UNAVAILABLE, DEADLINE_EXCEEDED, ...).
absl::StatusOr<ferry::v1::CheckSystemResponse> CheckPagerDuty(
    const PdApi& api, PdIdentity& identity, const std::vector<std::string>& services);

}  // namespace ferry::pagerduty
