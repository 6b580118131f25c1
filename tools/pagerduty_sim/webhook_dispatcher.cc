#include "tools/pagerduty_sim/webhook_dispatcher.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "httplib.h"
#include "tools/pagerduty_sim/webhook_events.h"

namespace ferry::pagerduty_sim {
namespace {

constexpr absl::Duration kFirstBackoff = absl::Seconds(5);
constexpr absl::Duration kMaxBackoff = absl::Hours(1);
constexpr absl::Duration kRetryFor = absl::Hours(48);
constexpr int kDropsBeforeDisable = 3;

bool Retryable(const httplib::Result& res) {
  return !res || res->status >= 500 || res->status == 429;
}

}  // namespace

std::string WebhookSignature(const std::string& secret, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  return "v1=" + absl::BytesToHexString(
                     absl::string_view(reinterpret_cast<const char*>(digest), length));
}

WebhookDispatcher::WebhookDispatcher(absl::Mutex& mu, State& state,
                                     const simcore::SimClock& clock)
    : mu_(mu), state_(state), clock_(clock) {}

WebhookDispatcher::~WebhookDispatcher() { Stop(); }

void WebhookDispatcher::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void WebhookDispatcher::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void WebhookDispatcher::Collect() {
  for (const PendingEvent& event : state_.pending_events) {
    std::string body;
    for (const auto& [id, subscription] : state_.webhook_subscriptions) {
      if (!Wants(state_, subscription, event)) continue;
      if (body.empty()) body = EventPayload(state_, event).dump();
      const absl::Time now = clock_.Now();
      // The webhook id is per subscription and event, stable across retries.
      queues_[id].push_back({event.id + "-" + id, body, now, now, 0});
    }
  }
  state_.pending_events.clear();
}

void WebhookDispatcher::Loop() {
  while (!stop_.WaitForNotificationWithTimeout(absl::Milliseconds(20))) {
    while (!stop_.HasBeenNotified() && DeliverOne()) {
    }
  }
}

bool WebhookDispatcher::DeliverOne() {
  std::string subscription_id, url, secret, body, webhook_id;
  httplib::Headers headers;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_.Now();
    for (auto& [id, queue] : queues_) {
      auto it = state_.webhook_subscriptions.find(id);
      if (it == state_.webhook_subscriptions.end()) {
        queue.clear();  // the subscription was deleted
        continue;
      }
      if (queue.empty() || queue.front().next_attempt > now) continue;
      subscription_id = id;
      url = it->second.url;
      secret = it->second.secret;
      body = queue.front().body;
      webhook_id = queue.front().webhook_id;
      for (const auto& [name, value] : it->second.custom_headers) headers.emplace(name, value);
      break;
    }
  }
  if (subscription_id.empty()) return false;

  const size_t scheme_end = url.find("://");
  const size_t path_start =
      url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  const std::string origin = url.substr(0, path_start);
  const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  headers.emplace("X-PagerDuty-Signature", WebhookSignature(secret, body));
  headers.emplace("X-Webhook-Id", webhook_id);
  headers.emplace("User-Agent", "PagerDuty-Webhook/V3.0");
  httplib::Client client(origin);
  client.set_connection_timeout(5);
  client.set_read_timeout(5);
  client.set_write_timeout(5);
  const httplib::Result res = client.Post(path.c_str(), headers, body, "application/json");

  absl::MutexLock lock(&mu_);
  auto queue = queues_.find(subscription_id);
  auto subscription = state_.webhook_subscriptions.find(subscription_id);
  if (queue == queues_.end() || queue->second.empty() ||
      subscription == state_.webhook_subscriptions.end()) {
    return true;  // deleted meanwhile
  }
  Delivery& delivery = queue->second.front();
  if (res && res->status >= 200 && res->status < 300) {
    subscription->second.consecutive_drops = 0;
    queue->second.pop_front();
    return true;
  }
  const absl::Time now = clock_.Now();
  if (Retryable(res) && now - delivery.first_attempt < kRetryFor) {
    ++delivery.attempts;
    absl::Duration backoff = kFirstBackoff;
    for (int i = 1; i < delivery.attempts && backoff < kMaxBackoff; ++i) backoff *= 2;
    delivery.next_attempt = now + std::min(backoff, kMaxBackoff);
    return true;
  }
  Drop(subscription_id);
  return true;
}

void WebhookDispatcher::Drop(const std::string& subscription_id) {
  std::deque<Delivery>& queue = queues_[subscription_id];
  queue.pop_front();
  WebhookSubscription& subscription = state_.webhook_subscriptions[subscription_id];
  if (++subscription.consecutive_drops >= kDropsBeforeDisable) {
    subscription.temporarily_disabled = true;
    queue.clear();
  }
}

}  // namespace ferry::pagerduty_sim
