#include "connectors/pagerduty/pd_webhook_receiver.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "connectors/pagerduty/accepted_sockets.h"
#include "httplib.h"
#include "spdlog/spdlog.h"

namespace ferry::pagerduty {
namespace {

constexpr char kSignatureHeader[] = "X-PagerDuty-Signature";
constexpr char kWebhookIdHeader[] = "X-Webhook-Id";
constexpr absl::string_view kV1Prefix = "v1=";

std::string HexHmacSha256(absl::string_view secret, absl::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

// Splits "HOST:PORT" ("[::1]:80" for IPv6) into its parts.
absl::Status ParseListen(const std::string& listen, std::string* host, int* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(listen.substr(colon + 1), port) || *port < 0 || *port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "webhook listen address '", listen,
        "' is not HOST:PORT; write for example 0.0.0.0:8095 (port 0: any free port)"));
  }
  absl::string_view name = absl::string_view(listen).substr(0, colon);
  if (absl::ConsumePrefix(&name, "[")) absl::ConsumeSuffix(&name, "]");
  *host = std::string(name);
  return absl::OkStatus();
}

// The last `capacity` keys (webhook ids, body digests), to recognise
// redeliveries.
class RecentIds {
 public:
  explicit RecentIds(size_t capacity) : capacity_(capacity) {}

  // False when `id` is already remembered; otherwise remembers it,
  // forgetting the oldest beyond capacity.
  bool Insert(const std::string& id) {
    if (!ids_.insert(id).second) return false;
    order_.push_back(id);
    while (order_.size() > capacity_) {
      ids_.erase(order_.front());
      order_.pop_front();
    }
    return true;
  }

 private:
  const size_t capacity_;
  absl::flat_hash_set<std::string> ids_;
  std::deque<std::string> order_;
};

// The binary SHA-256 of `body`, to recognise a body delivered again.
std::string Sha256(absl::string_view body) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

// httplib's task queue, replaced: one thread per connection, at most
// `max_connections` at once.
//
// Why: cpp-httplib 0.11.4 serves a connection on one task-queue thread that
// blocks in its reads, and its read timeout restarts with every byte that
// arrives. Its default pool (8 threads on this kind of machine) is therefore
// held by 8 clients sending a header byte every few seconds, and a correctly
// signed delivery waits behind them forever. With a thread per connection a
// slow or idle client holds only its own thread; an idle one is closed after
// the read timeout.
//
// Closes the connection on `fd` without reading it, leaving `fd` open on a
// socket whose peer is gone (reads end at once) for its owner to close. A
// shutdown() would not do: bytes the client already sent could still be
// read, and a delivery handled without its answer.
void CloseUnread(int fd) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    ::shutdown(fd, SHUT_RDWR);
    return;
  }
  close(pair[1]);
  dup2(pair[0], fd);  // Closes the connection: its last descriptor.
  close(pair[0]);
}

// httplib 0.11.4 hands the task queue a closure, never the accepted
// socket: `sockets` finds it (enqueue() is called right after each
// accept), to record when it was accepted and, at the cap, to close it
// unread before serving it, which then ends at once. Only if it cannot be found
// does enqueue() wait for a connection to end (the accept loop pausing).
class ConnectionThreads : public httplib::TaskQueue {
 public:
  ConnectionThreads(size_t max_connections, AcceptedSockets* sockets)
      : state_(std::make_shared<State>()),
        max_connections_(max_connections),
        sockets_(sockets) {}

  void enqueue(std::function<void()> serve) override {
    const int accepted = sockets_->TakeNew(absl::Now());
    bool refused = false;
    {
      absl::MutexLock lock(&state_->mu);
      auto below_cap = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu) {
        return state_->running < max_connections_;
      };
      refused = !below_cap() && accepted >= 0;
      if (!refused) {
        state_->mu.Await(absl::Condition(&below_cap));
        ++state_->running;
      }
    }
    if (refused) {
      CloseUnread(accepted);
      serve();  // Reads an end of stream at once and closes the descriptor.
      return;
    }
    // The thread shares the counter's ownership, so it may finish touching
    // it after shutdown() has returned and this queue is gone.
    std::thread([state = state_, serve = std::move(serve)] {
      serve();
      absl::MutexLock lock(&state->mu);
      --state->running;
    }).detach();
  }

  // Returns once every connection has been served and closed.
  void shutdown() override {
    absl::MutexLock lock(&state_->mu);
    auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu) {
      return state_->running == 0;
    };
    state_->mu.Await(absl::Condition(&idle));
  }

 private:
  struct State {
    absl::Mutex mu;
    size_t running ABSL_GUARDED_BY(mu) = 0;
  };
  const std::shared_ptr<State> state_;
  const size_t max_connections_;
  AcceptedSockets* const sockets_;
};

}  // namespace

bool PagerDutySignatureMatches(absl::string_view secret, absl::string_view body,
                               absl::string_view signature_header) {
  const std::string expected = HexHmacSha256(secret, body);
  bool matched = false;
  for (absl::string_view entry : absl::StrSplit(signature_header, ',')) {
    entry = absl::StripAsciiWhitespace(entry);
    if (!absl::ConsumePrefix(&entry, kV1Prefix) || entry.size() != expected.size()) continue;
    const std::string candidate = absl::AsciiStrToLower(entry);
    // Every entry is compared in full, so timing reveals nothing of which matched.
    matched |= CRYPTO_memcmp(candidate.data(), expected.data(), expected.size()) == 0;
  }
  return matched;
}

class PdWebhookReceiver::Impl {
 public:
  explicit Impl(PdWebhookReceiverOptions options)
      : options_(std::move(options)),
        recent_ids_(options_.remembered_ids),
        recent_bodies_(options_.remembered_ids) {}

  ~Impl() {
    if (server_ == nullptr) return;  // Start failed before serving
    server_->stop();
    if (listener_.joinable()) listener_.join();
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (waker_.joinable()) waker_.join();
    if (deadlines_.joinable()) deadlines_.join();
  }

  absl::Status Start() {
    std::string host;
    int port = 0;
    absl::Status parsed = ParseListen(options_.listen, &host, &port);
    if (!parsed.ok()) return parsed;
    if (options_.secret.empty()) {
      return absl::InvalidArgumentError("the webhook signing secret is empty");
    }
    const bool has_certificate = !options_.tls_certificate_file.empty();
    if (has_certificate != !options_.tls_private_key_file.empty()) {
      return absl::InvalidArgumentError(
          "webhook TLS needs both a certificate file and a private key file, or neither");
    }
    if (has_certificate) {
      server_ = std::make_unique<httplib::SSLServer>(options_.tls_certificate_file.c_str(),
                                                     options_.tls_private_key_file.c_str());
      if (!server_->is_valid()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "cannot load the webhook TLS certificate '", options_.tls_certificate_file,
            "' with its key '", options_.tls_private_key_file,
            "': both must be readable PEM files and the key must be the certificate's"));
      }
    } else {
      server_ = std::make_unique<httplib::Server>();
    }
    server_->set_tcp_nodelay(true);
    // httplib's default sets SO_REUSEPORT, which would let a second
    // receiver share the port (and half the webhooks) instead of failing.
    // Called for each listening socket tried; the last is the one bound.
    server_->set_socket_options([this](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      listening_socket_ = sock;
    });
    // Called by the listener thread, once sockets_ is set (below).
    server_->new_task_queue = [this] {
      return new ConnectionThreads(options_.max_connections, sockets_.get());
    };
    // A client silent this long is closed, freeing its thread.
    server_->set_read_timeout(options_.read_timeout_seconds, 0);
    server_->set_write_timeout(options_.read_timeout_seconds, 0);
    server_->set_keep_alive_timeout(options_.read_timeout_seconds);
    server_->set_payload_max_length(options_.max_body_bytes);
    server_->Post(options_.path, [this](const httplib::Request& req, httplib::Response& res,
                                        const httplib::ContentReader& content) {
      std::string body;
      if (!ReadBody(req, content, &body)) {
        Report("rejected");
        res.status = 413;
        // The rest of the body is never read, so the connection cannot
        // carry another request.
        res.set_header("Connection", "close");
        res.set_content("body too large\n", "text/plain");
        return;
      }
      Receive(req, body, res);
    });
    server_->Get(options_.path, [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ferry pagerduty webhook receiver\n", "text/plain");
    });
    port_ = port == 0 ? server_->bind_to_any_port(host)
                      : (server_->bind_to_port(host, port) ? port : -1);
    if (port_ < 0) {
      return absl::UnavailableError(absl::StrCat(
          "cannot listen on '", options_.listen,
          "': the port is in use or the host is not an address of this machine"));
    }
    // httplib 0.11.4 listens with a backlog of 5: a burst of connections
    // (a flood, or just many at once) would see SYNs dropped and retried
    // a second later. Listening again only widens the queue.
    ::listen(listening_socket_, SOMAXCONN);
    sockets_ = std::make_unique<AcceptedSockets>(port_);
    listener_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() is a no-op until the server runs, so the destructor could hang.
    while (!server_->is_running()) std::this_thread::yield();
    waker_ = std::thread([this] { WakeLoop(); });
    deadlines_ = std::thread([this] { DeadlineLoop(); });
    spdlog::info("pagerduty webhook receiver listening on {}://{}:{}{}",
                 has_certificate ? "https" : "http", host, port_, options_.path);
    return absl::OkStatus();
  }

  int port() const { return port_; }

 private:
  // Reads the body into `body`; false, having read at most max_body_bytes
  // of it, when it is larger. A declared Content-Length is checked before
  // reading (httplib would read and discard an oversized one whole), and a
  // chunked body, which httplib 0.11.4 reads without any limit, is stopped
  // at the first chunk beyond the limit.
  bool ReadBody(const httplib::Request& req, const httplib::ContentReader& content,
                std::string* body) {
    uint64_t declared = 0;
    if (absl::SimpleAtoi(req.get_header_value("Content-Length"), &declared) &&
        declared > options_.max_body_bytes) {
      return false;
    }
    bool too_large = false;
    content([&](const char* data, size_t length) {
      too_large = body->size() + length > options_.max_body_bytes;
      if (!too_large) body->append(data, length);
      return !too_large;
    });
    return !too_large;
  }

  void Receive(const httplib::Request& req, const std::string& body, httplib::Response& res) {
    if (!PagerDutySignatureMatches(options_.secret, body,
                                   req.get_header_value(kSignatureHeader))) {
      Report("rejected");
      spdlog::warn(
          "pagerduty webhook from {} refused: {} is {}; check that the subscription's "
          "signing secret is the one in webhook_secret_env / webhook_secret_file",
          req.remote_addr, kSignatureHeader,
          req.has_header(kSignatureHeader) ? "not a signature of the body with our secret"
                                           : "missing");
      res.status = 401;
      res.set_content("signature does not match\n", "text/plain");
      return;
    }
    const std::string id = req.get_header_value(kWebhookIdHeader);
    const std::string digest = Sha256(body);
    bool repeated = false;
    {
      absl::MutexLock lock(&mu_);
      // Both are remembered whatever the other says. A body seen before is
      // a replay even under a new id (or none): signed bodies can be
      // captured and sent again, and each must not cost a read.
      const bool new_id = id.empty() || recent_ids_.Insert(id);
      const bool new_body = recent_bodies_.Insert(digest);
      repeated = !new_id || !new_body;
      if (!repeated) ++pending_wakes_;
    }
    Report(repeated ? "duplicate" : "accepted");
    res.status = repeated ? 200 : 202;
  }

  void Report(absl::string_view outcome) {
    if (options_.observer != nullptr) {
      options_.observer->OnWebhookDelivery({options_.system, outcome});
    }
  }

  // Makes the owed on_delivery calls off the server's threads, so a slow
  // wake never delays a response (PagerDuty wants one within 5 s).
  void WakeLoop() {
    for (;;) {
      int64_t owed = 0;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &Impl::WakeOwedOrStopping));
        owed = pending_wakes_;
        pending_wakes_ = 0;
        if (owed == 0) return;  // stopping, nothing owed
      }
      for (int64_t i = 0; i < owed; ++i) {
        if (options_.on_delivery) options_.on_delivery();
      }
    }
  }

  // Every second, shuts down the connections older than
  // max_connection_seconds; runs until the listener (which waits for every
  // connection to end) has stopped.
  void DeadlineLoop() {
    const absl::Duration longest = absl::Seconds(options_.max_connection_seconds);
    absl::MutexLock lock(&mu_);
    while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::Seconds(1))) {
      mu_.Unlock();
      sockets_->ShutDownAcceptedBefore(absl::Now() - longest);
      mu_.Lock();
    }
  }

  bool WakeOwedOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return pending_wakes_ > 0 || stopping_;
  }

  const PdWebhookReceiverOptions options_;
  std::unique_ptr<httplib::Server> server_;  // an SSLServer with TLS
  socket_t listening_socket_ = INVALID_SOCKET;  // server_'s, once bound
  int port_ = -1;
  std::unique_ptr<AcceptedSockets> sockets_;  // set before listening
  std::thread listener_;
  std::thread waker_;
  std::thread deadlines_;

  mutable absl::Mutex mu_;
  RecentIds recent_ids_ ABSL_GUARDED_BY(mu_);
  RecentIds recent_bodies_ ABSL_GUARDED_BY(mu_);  // SHA-256 digests
  int64_t pending_wakes_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

absl::StatusOr<std::unique_ptr<PdWebhookReceiver>> PdWebhookReceiver::Start(
    PdWebhookReceiverOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  absl::Status started = impl->Start();
  if (!started.ok()) return started;
  return std::unique_ptr<PdWebhookReceiver>(new PdWebhookReceiver(std::move(impl)));
}

PdWebhookReceiver::PdWebhookReceiver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PdWebhookReceiver::~PdWebhookReceiver() = default;

int PdWebhookReceiver::port() const { return impl_->port(); }

}  // namespace ferry::pagerduty
