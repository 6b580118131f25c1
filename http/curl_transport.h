#pragma once

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "http/http_message.h"

namespace ferry::http {

// Connection settings for CurlTransport.
struct TransportOptions {
  // Limit on TCP connect plus TLS handshake.
  absl::Duration connect_timeout = absl::Seconds(10);
  // Limit on one whole exchange, connect included.
  absl::Duration request_timeout = absl::Seconds(30);
  // PEM file of CA certificates to trust instead of the system store, for
  // end systems behind a private CA. Empty: the system store. TLS peer and
  // host verification are always on; there is no switch to turn them off.
  std::string ca_bundle_path;
  // Ask for gzip-compressed responses (decoded transparently). Saves
  // bandwidth on large JSON pages from remote end systems; costs server CPU,
  // which matters only against a local simulator.
  bool accept_gzip = true;
  // Idle easy handles (each with its open keep-alive connections) kept for
  // reuse; more concurrent requests than this still work, their extra
  // handles are closed after use.
  int max_idle_handles = 8;
};

// Sends one HTTP exchange over libcurl; no retries, no status mapping (that
// is HttpClient's job).
//
// Connections are reused: finished easy handles go back to a pool and
// libcurl keeps their connections alive, so consecutive requests to one
// host skip TCP and TLS setup. TCP_NODELAY is on (without it a keep-alive
// request can wait ~40 ms on Nagle plus delayed ACK). Proxies come from the
// environment as libcurl reads it (`https_proxy`/`HTTPS_PROXY`,
// `http_proxy`, `no_proxy`/`NO_PROXY`); nothing here overrides them.
// Redirects are not followed. Only http and https URLs are accepted.
//
// Thread-safe: each concurrent Perform() uses its own easy handle.
class CurlTransport {
 public:
  explicit CurlTransport(const TransportOptions& options);
  ~CurlTransport();

  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // Sends `request`, with "Authorization: <authorization>" added when
  // `authorization` is not empty, and returns the response whatever its
  // status code. Fails when no complete response arrived:
  //   DEADLINE_EXCEEDED  connect or request timeout;
  //   UNAVAILABLE        DNS, connect, proxy, send or receive failure;
  //   FAILED_PRECONDITION TLS certificate or handshake refused (the message
  //                      says so; a custom CA bundle may be the fix);
  //   INVALID_ARGUMENT   malformed URL or unsupported scheme.
  // Messages carry libcurl's own text; they can contain the URL but never
  // the Authorization value.
  absl::StatusOr<HttpResponse> Perform(const HttpRequest& request,
                                       absl::string_view authorization);

 private:
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  const TransportOptions options_;
  absl::Mutex mu_;
  // CURL* handles (void* keeps curl.h out of this header).
  std::vector<void*> idle_handles_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::http
