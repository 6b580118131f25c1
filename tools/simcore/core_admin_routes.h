#pragma once

#include "httplib.h"
#include "tools/simcore/fault_injector.h"
#include "tools/simcore/rate_limiter.h"
#include "tools/simcore/sim_clock.h"

namespace ferry::simcore {

// Registers the clock, fault and rate-limit admin routes documented on
// SimServer. Errors answer 400/404 with {"error": "<what and how to fix>"}.
// The referenced objects must outlive `server`.
void RegisterCoreAdminRoutes(httplib::Server& server, SimClock& clock,
                             FaultInjector& faults,
                             TokenBucketRateLimiter& rate_limiter);

// Writes `json` as the response body with Content-Type application/json.
void WriteJson(httplib::Response& res, int status, const nlohmann::json& json);

// Parses a request body as a JSON object; on failure answers 400 with an
// admin error and returns nullopt.
std::optional<nlohmann::json> ParseAdminBody(const httplib::Request& req,
                                             httplib::Response& res);

}  // namespace ferry::simcore
