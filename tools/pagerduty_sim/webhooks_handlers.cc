// Webhook v3 subscriptions (PagerDuty Developer Documentation: Webhooks v3
// Overview; REST API reference: Webhook Subscriptions): CRUD with the signing secret
// returned only by the create call, custom header values redacted on reads,
// POST /webhook_subscriptions/{id}/enable and /ping. Managing subscriptions needs
// a full-access account token or an admin/owner user.
#include <random>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/handlers.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/query.h"
#include "tools/pagerduty_sim/state_lookup.h"

namespace ferry::pagerduty_sim {
namespace {

absl::Status RequireManager(const Call& call) {
  if (call.who.account && !call.who.read_only) return absl::OkStatus();
  const User* user = call.who.account ? nullptr : FindUser(call.state, call.who.user_id);
  if (user != nullptr && (user->role == "admin" || user->role == "owner")) {
    return absl::OkStatus();
  }
  return AccessDenied(
      "Managing webhook subscriptions needs a full-access account token or an admin user");
}

nlohmann::json SubscriptionJson(const WebhookSubscription& s, bool with_secret) {
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [name, value] : s.custom_headers) {
    headers.push_back({{"name", name}, {"value", with_secret ? value : "-- redacted --"}});
  }
  nlohmann::json filter = {{"type", s.filter_type}};
  if (!s.filter_id.empty()) filter["id"] = s.filter_id;
  return {{"id", s.id},
          {"type", "webhook_subscription"},
          {"active", s.active},
          {"description", s.description},
          {"events", s.events},
          {"filter", filter},
          {"delivery_method",
           {{"id", s.id},
            {"type", "http_delivery_method"},
            {"url", s.url},
            {"custom_headers", headers},
            {"secret", with_secret ? nlohmann::json(s.secret) : nlohmann::json(nullptr)},
            {"temporarily_disabled", s.temporarily_disabled}}}};
}

// Applies the fields of a {"webhook_subscription": {...}} body; `create`
// requires type, delivery_method.url, events and filter. Updates ignore
// delivery_method ("This operation does not support updating the
// delivery_method").
absl::Status ApplyBody(const State& state, const nlohmann::json& body,
                       WebhookSubscription& s, bool create) {
  const nlohmann::json in = body.value("webhook_subscription", nlohmann::json());
  if (!in.is_object()) return InvalidInput("send {\"webhook_subscription\": {...}}");
  if (create && in.value("type", "") != "webhook_subscription") {
    return InvalidInput("webhook_subscription.type must be \"webhook_subscription\"");
  }
  if (auto it = in.find("delivery_method"); create && it != in.end() && it->is_object()) {
    const std::string url = it->value("url", "");
    if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
      return InvalidInput("delivery_method.url must be an http(s) URL");
    }
    s.url = url;
    if (auto headers = it->find("custom_headers"); headers != it->end() && headers->is_array()) {
      s.custom_headers.clear();
      for (const auto& h : *headers) {
        s.custom_headers.emplace_back(h.value("name", ""), h.value("value", ""));
      }
    }
  } else if (create) {
    return InvalidInput("delivery_method with a url is required");
  }
  if (auto it = in.find("events"); it != in.end()) {
    if (!it->is_array() || it->empty()) {
      return InvalidInput("events must list at least one event type");
    }
    s.events = it->get<std::vector<std::string>>();
  } else if (create) {
    return InvalidInput("events must list at least one event type");
  }
  if (auto it = in.find("filter"); it != in.end() && it->is_object()) {
    s.filter_type = it->value("type", "");
    s.filter_id = it->value("id", "");
    const bool known_target =
        (s.filter_type == "service_reference" && FindService(state, s.filter_id)) ||
        (s.filter_type == "team_reference" && state.teams.count(s.filter_id) > 0) ||
        s.filter_type == "account_reference";
    if (!known_target) {
      return InvalidInput("filter must be an account_reference, or a service_reference / "
                          "team_reference with the id of an existing service / team");
    }
  } else if (create) {
    return InvalidInput("filter is required");
  }
  if (in.contains("description")) s.description = in.value("description", "");
  if (in.contains("active")) s.active = in.value("active", true);
  return absl::OkStatus();
}

std::string NewSecret() {
  std::random_device random;
  std::string bytes(24, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  return absl::Base64Escape(bytes);
}

absl::StatusOr<WebhookSubscription*> Find(Call& call) {
  auto it = call.state.webhook_subscriptions.find(call.req.matches[1]);
  if (it == call.state.webhook_subscriptions.end()) {
    return NotFound(absl::StrCat("Webhook subscription \"", std::string(call.req.matches[1]),
                                 "\" not found"));
  }
  return &it->second;
}

absl::Status Create(Call& call) {
  if (auto ok = RequireManager(call); !ok.ok()) return ok;
  auto body = JsonBody(call.req);
  if (!body.ok()) return body.status();
  WebhookSubscription s;
  if (auto ok = ApplyBody(call.state, *body, s, true); !ok.ok()) return ok;
  s.id = NewId(call.state);
  s.secret = NewSecret();
  call.state.webhook_subscriptions[s.id] = s;
  WritePdJson(call.res, 200,
              nlohmann::json{{"webhook_subscription", SubscriptionJson(s, true)}}.dump());
  return absl::OkStatus();
}

// filter_type / filter_id query parameters narrow the list.
absl::Status List(Call& call) {
  auto page = ParsePage(call.req);
  if (!page.ok()) return page.status();
  const std::string filter_type = call.req.get_param_value("filter_type");
  const std::string filter_id = call.req.get_param_value("filter_id");
  std::vector<const WebhookSubscription*> all;
  for (const auto& [id, s] : call.state.webhook_subscriptions) {
    if (!filter_type.empty() && s.filter_type != filter_type) continue;
    if (!filter_id.empty() && s.filter_id != filter_id) continue;
    all.push_back(&s);
  }
  WritePdJson(call.res, 200, PagedJson("webhook_subscriptions", *page, all.size(), [&](size_t i) {
                               return SubscriptionJson(*all[i], false);
                             }).dump());
  return absl::OkStatus();
}

absl::Status Get(Call& call) {
  auto s = Find(call);
  if (!s.ok()) return s.status();
  WritePdJson(call.res, 200,
              nlohmann::json{{"webhook_subscription", SubscriptionJson(**s, false)}}.dump());
  return absl::OkStatus();
}

absl::Status Update(Call& call) {
  if (auto ok = RequireManager(call); !ok.ok()) return ok;
  auto s = Find(call);
  if (!s.ok()) return s.status();
  auto body = JsonBody(call.req);
  if (!body.ok()) return body.status();
  WebhookSubscription updated = **s;
  if (auto ok = ApplyBody(call.state, *body, updated, false); !ok.ok()) return ok;
  **s = updated;
  WritePdJson(call.res, 200,
              nlohmann::json{{"webhook_subscription", SubscriptionJson(updated, false)}}.dump());
  return absl::OkStatus();
}

absl::Status Delete(Call& call) {
  if (auto ok = RequireManager(call); !ok.ok()) return ok;
  auto s = Find(call);
  if (!s.ok()) return s.status();
  call.state.webhook_subscriptions.erase((*s)->id);
  call.res.status = 204;
  return absl::OkStatus();
}

absl::Status Enable(Call& call) {
  if (auto ok = RequireManager(call); !ok.ok()) return ok;
  auto s = Find(call);
  if (!s.ok()) return s.status();
  (*s)->temporarily_disabled = false;
  (*s)->consecutive_drops = 0;
  WritePdJson(call.res, 200,
              nlohmann::json{{"webhook_subscription", SubscriptionJson(**s, false)}}.dump());
  return absl::OkStatus();
}

// Queues a pagey.ping event for this subscription only; 202.
absl::Status Ping(Call& call) {
  if (auto ok = RequireManager(call); !ok.ok()) return ok;
  auto s = Find(call);
  if (!s.ok()) return s.status();
  PendingEvent ping;
  ping.id = NewId(call.state);
  ping.type = "pagey.ping";
  ping.resource_type = "pagey";
  ping.occurred_at = call.actor.now;
  ping.data = {{"message", "Hello from your friend Pagey!"}, {"type", "ping"}};
  ping.only_subscription_id = (*s)->id;
  call.state.pending_events.push_back(std::move(ping));
  call.res.status = 202;
  return absl::OkStatus();
}

}  // namespace

void RegisterWebhookRoutes(Router& router) {
  // Reads of subscriptions need no From; writes check RequireManager.
  router.Add("GET", "/webhook_subscriptions", RouteKind::kRead, List);
  router.Add("POST", "/webhook_subscriptions", RouteKind::kRead, Create);
  router.Add("GET", R"(/webhook_subscriptions/([^/]+))", RouteKind::kRead, Get);
  router.Add("PUT", R"(/webhook_subscriptions/([^/]+))", RouteKind::kRead, Update);
  router.Add("DELETE", R"(/webhook_subscriptions/([^/]+))", RouteKind::kRead, Delete);
  router.Add("POST", R"(/webhook_subscriptions/([^/]+)/enable)", RouteKind::kRead, Enable);
  router.Add("POST", R"(/webhook_subscriptions/([^/]+)/ping)", RouteKind::kRead, Ping);
}

}  // namespace ferry::pagerduty_sim
