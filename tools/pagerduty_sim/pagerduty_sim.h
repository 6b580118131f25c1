#pragma once

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "tools/pagerduty_sim/model.h"
#include "tools/pagerduty_sim/router.h"
#include "tools/pagerduty_sim/webhook_dispatcher.h"
#include "tools/simcore/sim_server.h"

namespace ferry::pagerduty_sim {

// A local PagerDuty REST API v2 (the subset of PagerDuty's public REST API
// v2 reference that Ferry uses; README.md lists it) with state in memory,
// plus the admin API: simcore's clock/faults/rate_limit routes and
//
//   POST /admin/seed   a fixture (see StateFromSeed) replacing all state
//   POST /admin/act    {"as": "<user id or email>", "method": "PUT",
//                       "path": "/incidents/P1", "body": {...}}
//                      performs a REST call as that person (web UI channel),
//                      answering what the REST call would answer
//
// and, on the same port, the Events API v2 (`POST /v2/enqueue`, see
// events_api.h) that monitoring tools use to open incidents.
//
// Webhook v3 subscriptions are delivered by a WebhookDispatcher thread.
// Thread-safe: all requests share one mutex around the state.
class PagerDutySim {
 public:
  // Rate limit defaults to PagerDuty's 960 requests/minute per token/user,
  // counted in fixed one-minute windows whatever `options` say.
  PagerDutySim(simcore::SimServerOptions options, State initial);
  ~PagerDutySim();  // Stops serving and delivering first.
  PagerDutySim(const PagerDutySim&) = delete;
  PagerDutySim& operator=(const PagerDutySim&) = delete;

  // See SimServer::Start.
  absl::StatusOr<int> Start();
  // Stops the HTTP server and the webhook thread. Safe to call twice.
  void Stop();
  void Wait() { server_.Wait(); }
  int port() const { return server_.port(); }
  simcore::SimServer& server() { return server_; }

 private:
  void RegisterAdminRoutes();

  simcore::SimServer server_;
  absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_);
  Router router_;
  WebhookDispatcher webhooks_;
  simcore::TokenBucketRateLimiter events_limiter_;
};

}  // namespace ferry::pagerduty_sim
