#include "tools/simcore/core_admin_routes.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace ferry::simcore {

void WriteJson(httplib::Response& res, int status, const nlohmann::json& json) {
  res.status = status;
  res.set_content(json.dump(), "application/json");
}

std::optional<nlohmann::json> ParseAdminBody(const httplib::Request& req,
                                             httplib::Response& res) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    WriteJson(res, 400,
              {{"error", "the request body must be a JSON object"}});
    return std::nullopt;
  }
  return body;
}

void RegisterCoreAdminRoutes(httplib::Server& server, SimClock& clock,
                             FaultInjector& faults,
                             TokenBucketRateLimiter& rate_limiter) {
  auto clock_json = [&clock] {
    return nlohmann::json{
        {"now", absl::FormatTime(absl::RFC3339_full, clock.Now(),
                                 absl::UTCTimeZone())},
        {"offset_seconds", absl::ToDoubleSeconds(clock.Offset())}};
  };
  server.Get("/admin/clock", [clock_json](const httplib::Request&,
                                          httplib::Response& res) {
    WriteJson(res, 200, clock_json());
  });
  server.Post("/admin/clock/advance", [&clock, clock_json](
                                          const httplib::Request& req,
                                          httplib::Response& res) {
    auto body = ParseAdminBody(req, res);
    if (!body) return;
    const auto seconds = body->find("seconds");
    if (seconds == body->end() || !seconds->is_number() ||
        !clock.Advance(absl::Seconds(seconds->get<double>()))) {
      WriteJson(res, 400, {{"error", "\"seconds\" must be a number >= 0"}});
      return;
    }
    WriteJson(res, 200, clock_json());
  });

  server.Get("/admin/faults", [&faults](const httplib::Request&,
                                        httplib::Response& res) {
    nlohmann::json list = nlohmann::json::array();
    for (const FaultRule& rule : faults.List()) {
      list.push_back(FaultRuleToJson(rule));
    }
    WriteJson(res, 200, {{"faults", list}});
  });
  server.Post("/admin/faults", [&faults](const httplib::Request& req,
                                         httplib::Response& res) {
    auto body = ParseAdminBody(req, res);
    if (!body) return;
    absl::StatusOr<FaultRule> rule = FaultRuleFromJson(*body);
    if (!rule.ok()) {
      WriteJson(res, 400, {{"error", std::string(rule.status().message())}});
      return;
    }
    WriteJson(res, 201, {{"id", faults.Add(*std::move(rule))}});
  });
  server.Delete("/admin/faults", [&faults](const httplib::Request&,
                                           httplib::Response& res) {
    faults.Clear();
    res.status = 204;
  });
  server.Delete(R"(/admin/faults/(\d+))", [&faults](const httplib::Request& req,
                                                    httplib::Response& res) {
    if (!faults.Remove(std::stoi(req.matches[1]))) {
      WriteJson(res, 404, {{"error", absl::StrCat("no fault rule with id ",
                                                  std::string(req.matches[1]))}});
      return;
    }
    res.status = 204;
  });

  auto limits_json = [&rate_limiter] {
    RateLimit limits = rate_limiter.limits();
    return nlohmann::json{{"limit", limits.limit},
                          {"window_seconds", absl::ToDoubleSeconds(limits.window)}};
  };
  server.Get("/admin/rate_limit", [limits_json](const httplib::Request&,
                                                httplib::Response& res) {
    WriteJson(res, 200, limits_json());
  });
  server.Put("/admin/rate_limit", [&rate_limiter, limits_json](
                                      const httplib::Request& req,
                                      httplib::Response& res) {
    auto body = ParseAdminBody(req, res);
    if (!body) return;
    RateLimit limits = rate_limiter.limits();
    const auto limit = body->find("limit");
    const auto window = body->find("window_seconds");
    if (limit != body->end()) {
      limits.limit = limit->is_number_integer() ? limit->get<int>() : 0;
    }
    if (window != body->end()) {
      limits.window = absl::Seconds(window->is_number() ? window->get<double>() : 0);
    }
    if (!rate_limiter.SetLimits(limits)) {
      WriteJson(res, 400, {{"error", "\"limit\" must be an integer >= 1 and "
                                     "\"window_seconds\" a number > 0"}});
      return;
    }
    WriteJson(res, 200, limits_json());
  });
}

}  // namespace ferry::simcore
