#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "httplib.h"
#include "tools/simcore/fault_injector.h"
#include "tools/simcore/rate_limiter.h"
#include "tools/simcore/sim_clock.h"

namespace ferry::simcore {

// Every path under this prefix belongs to the admin API: never faulted, never
// rate limited, never authenticated.
inline constexpr char kAdminPrefix[] = "/admin/";

struct SimServerOptions {
  std::string host = "127.0.0.1";
  // When set, Start() writes the bound port (decimal, newline) to this file.
  std::string port_file;
  RateLimit rate_limit;
  uint32_t fault_seed = 1;
  // When both are set (PEM files), the server speaks HTTPS only, admin API
  // included: for real clients that hard-code https:// (ServiceNow's).
  std::string tls_cert_file;
  std::string tls_key_file;
};

// The common skeleton of a simulator: an HTTP server on a port the OS picks
// (TCP_NODELAY on), a SimClock, a FaultInjector applied to every non-admin
// request, a per-credential TokenBucketRateLimiter for the simulator to
// consult, and the shared admin API:
//
//   GET  /admin/clock                 {"now": RFC3339, "offset_seconds": n}
//   POST /admin/clock/advance         {"seconds": n}
//   GET  /admin/faults                {"faults": [rule...]}
//   POST /admin/faults                rule (see FaultRuleFromJson) -> {"id"}
//   DELETE /admin/faults              remove all rules
//   DELETE /admin/faults/{id}         remove one rule (404 if unknown)
//   GET|PUT /admin/rate_limit         {"limit": n, "window_seconds": s}
//
// The simulator registers its own routes on http() before Start(). Handlers
// run on a pool of 128 threads, one per open connection (kept-alive ones
// included), so up to 128 clients are served at once and none queues
// behind another's idle connection; the components are thread-safe.
class SimServer {
 public:
  explicit SimServer(SimServerOptions options);
  ~SimServer();  // Stops the server if it is running.
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  httplib::Server& http() { return *http_; }
  SimClock& clock() { return clock_; }
  FaultInjector& faults() { return faults_; }
  TokenBucketRateLimiter& rate_limiter() { return rate_limiter_; }

  // Calls `observer` with every request (admin ones included) on its
  // serving thread before it is routed, so a count a test takes after its
  // client has the answer includes the request. (httplib's own logger runs
  // after the answer is sent, too late for that.) Replaces any earlier
  // observer; thread-safe.
  void SetRequestObserver(std::function<void(const httplib::Request&)> observer);

  // Binds options.host on an OS-chosen port, writes the port file and starts
  // serving on a background thread; returns once that thread listens, so
  // Stop() may follow at once. Returns the port, or an error when the TLS
  // certificate or key cannot be loaded, or the bind or the port-file
  // write fails. Call once.
  absl::StatusOr<int> Start();
  // Stops serving and joins the thread. Safe to call more than once.
  void Stop();
  // Blocks until the server stops (for a main() that only serves).
  void Wait();
  int port() const { return port_; }

 private:
  void InstallFaultHooks();
  void Observe(const httplib::Request& request);

  SimServerOptions options_;
  // An httplib::SSLServer when options_ ask for TLS.
  std::unique_ptr<httplib::Server> http_;
  SimClock clock_;
  FaultInjector faults_;
  absl::Mutex observer_mu_;
  std::function<void(const httplib::Request&)> observer_ ABSL_GUARDED_BY(observer_mu_);
  TokenBucketRateLimiter rate_limiter_;
  std::thread thread_;
  // Set by the serving thread when listen_after_bind() has returned.
  std::atomic<bool> listen_returned_{false};
  int port_ = 0;
};

}  // namespace ferry::simcore
