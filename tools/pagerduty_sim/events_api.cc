#include "tools/pagerduty_sim/events_api.h"

#include "absl/strings/str_split.h"
#include "tools/pagerduty_sim/alert_ops.h"
#include "tools/simcore/core_admin_routes.h"

namespace ferry::pagerduty_sim {
namespace {

void Invalid(httplib::Response& res, const std::vector<std::string>& errors) {
  simcore::WriteJson(res, 400,
                     {{"status", "invalid event"},
                      {"message", "Event object is invalid"},
                      {"errors", errors}});
}

}  // namespace

void RegisterEventsApi(simcore::SimServer& server, absl::Mutex& mu, State& state,
                       simcore::TokenBucketRateLimiter& limiter,
                       std::function<void()> after_event) {
  server.http().Post("/v2/enqueue", [&server, &mu, &state, &limiter, after_event](
                                        const httplib::Request& req,
                                        httplib::Response& res) {
    const nlohmann::json event = nlohmann::json::parse(req.body, nullptr, false);
    if (event.is_discarded() || !event.is_object()) {
      Invalid(res, {"The body must be a JSON object (an Events API v2 event)"});
      return;
    }
    const auto key = event.find("routing_key");
    const std::string routing_key =
        key != event.end() && key->is_string() ? key->get<std::string>() : "";
    if (!limiter.Acquire("events:" + routing_key).allowed) {
      simcore::WriteJson(res, 429,
                         {{"status", "throttle event"},
                          {"message",
                           "Requests for this service are arriving too quickly.  "
                           "Please retry later."}});
      return;
    }
    absl::MutexLock lock(&mu);
    absl::StatusOr<std::string> dedup_key =
        ApplyEvent(state, event, server.clock().Now());
    if (after_event) after_event();
    if (!dedup_key.ok()) {
      Invalid(res, absl::StrSplit(dedup_key.status().message(), '\n'));
      return;
    }
    simcore::WriteJson(res, 202,
                       {{"status", "success"},
                        {"message", "Event processed"},
                        {"dedup_key", *dedup_key}});
  });
}

}  // namespace ferry::pagerduty_sim
