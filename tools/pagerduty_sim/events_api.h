#pragma once

#include <functional>

#include "absl/synchronization/mutex.h"
#include "tools/pagerduty_sim/model.h"
#include "tools/simcore/rate_limiter.h"
#include "tools/simcore/sim_server.h"

namespace ferry::pagerduty_sim {

// Events API v2 requests per minute and routing key before 429s.
inline constexpr int kEventsPerMinute = 120;

// Serves POST /v2/enqueue (PagerDuty Events API v2: Send an Alert Event) on
// `server`, with the rules of ApplyEvent. No Authorization: the routing key
// in the body is the credential. Answers:
//   202 {"status":"success","message":"Event processed","dedup_key":...}
//   400 {"status":"invalid event","message":"Event object is invalid",
//        "errors":[...]}  (also for a body that is not JSON)
//   429 {"status":"throttle event","message":...} past `limiter`'s limit per
//        routing key.
// Takes `mu` around the state and calls `after_event` with it held after
// each processed event (the webhook hook). All references must outlive the
// server.
void RegisterEventsApi(simcore::SimServer& server, absl::Mutex& mu, State& state,
                       simcore::TokenBucketRateLimiter& limiter,
                       std::function<void()> after_event);

}  // namespace ferry::pagerduty_sim
