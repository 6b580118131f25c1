#include "connectors/pagerduty/pd_webhook_receiver.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <sys/socket.h>

#include <deque>
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

// The last `capacity` webhook ids, to recognise redeliveries.
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
      : options_(std::move(options)), recent_(options_.remembered_ids) {}

  ~Impl() {
    server_.stop();
    if (listener_.joinable()) listener_.join();
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (waker_.joinable()) waker_.join();
  }

  absl::Status Start() {
    std::string host;
    int port = 0;
    absl::Status parsed = ParseListen(options_.listen, &host, &port);
    if (!parsed.ok()) return parsed;
    if (options_.secret.empty()) {
      return absl::InvalidArgumentError("the webhook signing secret is empty");
    }
    server_.set_tcp_nodelay(true);
    // httplib's default sets SO_REUSEPORT, which would let a second
    // receiver share the port (and half the webhooks) instead of failing.
    server_.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    server_.set_payload_max_length(options_.max_body_bytes);
    server_.set_read_timeout(5, 0);
    server_.set_write_timeout(5, 0);
    server_.Post(options_.path, [this](const httplib::Request& req, httplib::Response& res) {
      Receive(req, res);
    });
    server_.Get(options_.path, [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ferry pagerduty webhook receiver\n", "text/plain");
    });
    port_ = port == 0 ? server_.bind_to_any_port(host)
                      : (server_.bind_to_port(host, port) ? port : -1);
    if (port_ < 0) {
      return absl::UnavailableError(absl::StrCat(
          "cannot listen on '", options_.listen,
          "': the port is in use or the host is not an address of this machine"));
    }
    listener_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the server runs, so the destructor could hang.
    while (!server_.is_running()) std::this_thread::yield();
    waker_ = std::thread([this] { WakeLoop(); });
    spdlog::info("pagerduty webhook receiver listening on {}:{}{}", host, port_,
                 options_.path);
    return absl::OkStatus();
  }

  int port() const { return port_; }

 private:
  void Receive(const httplib::Request& req, httplib::Response& res) {
    if (!PagerDutySignatureMatches(options_.secret, req.body,
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
    bool repeated = false;
    {
      absl::MutexLock lock(&mu_);
      // Without an id a delivery cannot be recognised again; it wakes the
      // reader.
      repeated = !id.empty() && !recent_.Insert(id);
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

  bool WakeOwedOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return pending_wakes_ > 0 || stopping_;
  }

  const PdWebhookReceiverOptions options_;
  httplib::Server server_;
  int port_ = -1;
  std::thread listener_;
  std::thread waker_;

  mutable absl::Mutex mu_;
  RecentIds recent_ ABSL_GUARDED_BY(mu_);
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
