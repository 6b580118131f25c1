#pragma once

#include <deque>
#include <map>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "tools/pagerduty_sim/model.h"
#include "tools/simcore/sim_clock.h"

namespace ferry::pagerduty_sim {

// "v1=<lowercase hex HMAC-SHA256 of body keyed with secret>", the value of
// X-PagerDuty-Signature.
std::string WebhookSignature(const std::string& secret, const std::string& body);

// Delivers webhook v3 events to subscribers following PagerDuty's rules
// (PagerDuty Developer Documentation: Webhooks v3 Overview): one event per POST, signed (X-PagerDuty-Signature), with
// an X-Webhook-Id that stays the same across retries, custom headers, a 5 s
// timeout. 2xx delivers; a timeout, connection error, 5xx or 429 is retried
// with backoff (5 s doubling up to 1 h, by the simulator clock) for up to
// 48 h; any other status drops the webhook. Three consecutive drops disable
// the subscription (temporarily_disabled) and empty its queue. Deliveries
// of one subscription go out in order, one at a time.
//
// Shares the simulator's state mutex: Collect() runs with it held; the
// delivery thread takes it only around queue bookkeeping, never during HTTP.
class WebhookDispatcher {
 public:
  // `mu` guards `state`; both and `clock` must outlive the dispatcher.
  WebhookDispatcher(absl::Mutex& mu, State& state, const simcore::SimClock& clock);
  ~WebhookDispatcher();  // Stops the delivery thread.

  // Renders state.pending_events and queues them for the subscriptions that
  // want them. Call with `mu` held, after each request.
  void Collect();

  // Starts / stops the delivery thread (polls every 20 ms of real time).
  void Start();
  void Stop();

 private:
  struct Delivery {
    std::string webhook_id;
    std::string body;
    absl::Time first_attempt;
    absl::Time next_attempt;
    int attempts = 0;
  };

  void Loop();
  // Attempts the due head delivery of one subscription; false when none was due.
  bool DeliverOne();
  void Drop(const std::string& subscription_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex& mu_;
  State& state_ ABSL_GUARDED_BY(mu_);
  const simcore::SimClock& clock_;
  std::map<std::string, std::deque<Delivery>> queues_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace ferry::pagerduty_sim
