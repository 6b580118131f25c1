#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "http/http_observer.h"

namespace ferry::pagerduty {

// True when `signature_header` (the value of X-PagerDuty-Signature: one or
// more comma-separated "v1=<hex>" entries; several while a secret is being
// rotated) holds a v1 entry equal to the lowercase hex HMAC-SHA256 of
// `body` keyed with `secret`. Entries of other versions are ignored. The
// comparison takes the same time whatever the entries hold.
bool PagerDutySignatureMatches(absl::string_view secret, absl::string_view body,
                               absl::string_view signature_header);

// What PdWebhookReceiver::Start needs.
struct PdWebhookReceiverOptions {
  // "HOST:PORT" to listen on ("0.0.0.0:8095", "[::1]:8095"); port 0 lets
  // the OS choose (see PdWebhookReceiver::port()).
  std::string listen;
  // The path PagerDuty posts to; a GET on it answers 200 (a health check).
  std::string path = "/pagerduty/webhook";
  // The subscription's signing secret. Never logged.
  std::string secret;
  // Larger bodies are refused with 413, chunked ones too, having read at
  // most this much of them. PagerDuty drops webhooks over 256 KB itself.
  size_t max_body_bytes = 256 * 1024;
  // How many X-Webhook-Id values, and separately how many body digests,
  // are remembered to recognise redeliveries and replays; the oldest is
  // forgotten first.
  size_t remembered_ids = 10000;
  // PEM files of the receiver's certificate (chain) and private key: both
  // serve HTTPS, so deliveries need no TLS proxy in front; neither serves
  // plain HTTP.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // A connection silent this long (no byte of a request, or no new request
  // on a kept-alive connection) is closed.
  int read_timeout_seconds = 5;
  // A connection is closed this long after it was accepted (checked every
  // second), whatever it sends: a client that trickles a byte within every
  // read timeout holds its thread no longer. PagerDuty's deliveries take
  // well under a second and it reconnects as needed.
  int max_connection_seconds = 30;
  // Connections served at once, each on its own thread. A connection
  // accepted beyond it is closed at once, unread, so a flood costs no
  // thread and no queue; the client may try again.
  size_t max_connections = 2048;
  // Called once for every new, correctly signed delivery, on the
  // receiver's own wake-up thread (never on the thread answering the
  // request, so a slow call cannot delay a response). Must be thread-safe;
  // may be empty (nothing is woken).
  std::function<void()> on_delivery;
  // Told of every POST answered (accepted, duplicate, rejected), as the
  // WebhookDelivery of `system`; may be null. Must outlive the receiver.
  ferry::http::HttpObserver* observer = nullptr;
  // The configured system's name, for `observer`.
  std::string system;
};

// An HTTP server for PagerDuty webhooks v3 (PagerDuty Developer
// Documentation: Webhooks v3 Overview, "Verifying Signatures") that tells its
// owner, at once, that something changed; it never interprets the event
// (the reader reads the change through the REST API, which stays the one
// source of truth; polling remains the safety net for lost webhooks).
//
// POST `path`:
//   - X-PagerDuty-Signature missing or matching no v1 signature: 401, a
//     warning naming the sender's address (never the secret or the
//     signature), nothing woken;
//   - body over max_body_bytes (declared, or chunked and growing past it):
//     413 and the connection closed, the rest of the body unread;
//   - an X-Webhook-Id seen among the last `remembered_ids` (PagerDuty
//     delivers at least once and keeps the id across retries), or a body
//     seen among the last `remembered_ids` bodies under any id or none (a
//     replay of a captured delivery): 200, nothing woken, so a replayed
//     body costs the reader at most the one read of its first delivery;
//   - otherwise: 202 at once; on_delivery is called on the wake-up thread.
// Each of these is also reported to `observer` (ferry_webhook_deliveries_total
// in ferryd's metrics).
//
// Slow and idle clients: every connection is served on its own thread, up
// to max_connections, so clients that send a byte now and then, or nothing,
// hold only their own threads and a correctly signed delivery is still
// served while a thousand of them are open. A client silent for
// read_timeout_seconds is closed, and every connection once it is
// max_connection_seconds old, however it trickles its bytes (cpp-httplib
// 0.11.4 restarts its read timeout with each byte, so the receiver finds
// its connections itself: AcceptedSockets). A connection beyond
// max_connections is closed at once. So destruction waits at most
// max_connection_seconds for clients to end.
//
// Thread-safe. Serves on its own threads from Start() until destruction.
class PdWebhookReceiver {
 public:
  // Binds `options.listen` and starts serving. Fails with INVALID_ARGUMENT
  // for a listen address that is not HOST:PORT, an empty secret, or only
  // one of the TLS files or files that do not load as a certificate and
  // its key, and
  // UNAVAILABLE, naming the address, when it cannot be bound (in use, or
  // not an address of this host).
  static absl::StatusOr<std::unique_ptr<PdWebhookReceiver>> Start(
      PdWebhookReceiverOptions options);

  // Stops listening, lets requests in progress finish, then makes the
  // on_delivery calls still owed before returning.
  ~PdWebhookReceiver();

  PdWebhookReceiver(const PdWebhookReceiver&) = delete;
  PdWebhookReceiver& operator=(const PdWebhookReceiver&) = delete;

  // The bound port (the OS's choice when `listen` asked for port 0).
  int port() const;

 private:
  class Impl;
  explicit PdWebhookReceiver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ferry::pagerduty
