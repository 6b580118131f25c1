#include "tools/simcore/fault_injector.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ferry::simcore {
namespace {

constexpr std::pair<FaultKind, const char*> kKindNames[] = {
    {FaultKind::kLatency, "latency"},     {FaultKind::kStatus, "status"},
    {FaultKind::kMalformed, "malformed"}, {FaultKind::kTruncate, "truncate"},
    {FaultKind::kDrop, "drop"},
};

absl::Status FieldError(const std::string& field, const std::string& fix) {
  return absl::InvalidArgumentError(
      absl::StrCat("fault rule field \"", field, "\": ", fix));
}

}  // namespace

absl::StatusOr<FaultRule> FaultRuleFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return FieldError("(body)", "must be a JSON object");
  FaultRule rule;
  const std::string kind = json.value("kind", "");
  auto named = std::find_if(std::begin(kKindNames), std::end(kKindNames),
                            [&](const auto& p) { return kind == p.second; });
  if (named == std::end(kKindNames)) {
    return FieldError("kind",
                      "use one of latency, status, malformed, truncate, drop");
  }
  rule.kind = named->first;
  try {
    rule.path_prefix = json.value("path_prefix", "/");
    rule.method = json.value("method", "");
    rule.rate = json.value("rate", 1.0);
    rule.remaining = json.value("count", -1);
    rule.status = json.value("status", 500);
    rule.content_type = json.value("content_type", "application/json");
    rule.latency = absl::Milliseconds(json.value("latency_ms", 0));
    if (json.contains("body")) {
      const auto& body = json.at("body");
      rule.body = body.is_string() ? body.get<std::string>() : body.dump();
    }
  } catch (const nlohmann::json::exception& e) {
    return FieldError("(any)", absl::StrCat("a field has the wrong JSON type: ", e.what()));
  }
  if (rule.path_prefix.empty() || rule.path_prefix[0] != '/') {
    return FieldError("path_prefix", "must start with '/'");
  }
  if (rule.rate <= 0 || rule.rate > 1) {
    return FieldError("rate", "must be in (0, 1]");
  }
  if (rule.remaining == 0 || rule.remaining < -1) {
    return FieldError("count", "must be positive (omit it for no limit)");
  }
  if (rule.status < 100 || rule.status > 599) {
    return FieldError("status", "must be an HTTP status 100..599");
  }
  if (rule.kind == FaultKind::kLatency && rule.latency <= absl::ZeroDuration()) {
    return FieldError("latency_ms", "must be positive for a latency fault");
  }
  return rule;
}

nlohmann::json FaultRuleToJson(const FaultRule& rule) {
  const char* kind = "";
  for (const auto& [k, name] : kKindNames) {
    if (k == rule.kind) kind = name;
  }
  nlohmann::json json = {{"id", rule.id},
                         {"kind", kind},
                         {"path_prefix", rule.path_prefix},
                         {"rate", rule.rate},
                         {"status", rule.status},
                         {"latency_ms", absl::ToInt64Milliseconds(rule.latency)}};
  if (!rule.method.empty()) json["method"] = rule.method;
  if (rule.remaining >= 0) json["count"] = rule.remaining;
  if (!rule.body.empty()) json["body"] = rule.body;
  return json;
}

FaultInjector::FaultInjector(uint32_t seed) : random_(seed) {}

int FaultInjector::Add(FaultRule rule) {
  absl::MutexLock lock(&mu_);
  rule.id = next_id_++;
  rules_.push_back(std::move(rule));
  return rules_.back().id;
}

bool FaultInjector::Remove(int id) {
  absl::MutexLock lock(&mu_);
  auto it = std::find_if(rules_.begin(), rules_.end(),
                         [id](const FaultRule& r) { return r.id == id; });
  if (it == rules_.end()) return false;
  rules_.erase(it);
  return true;
}

void FaultInjector::Clear() {
  absl::MutexLock lock(&mu_);
  rules_.clear();
}

std::vector<FaultRule> FaultInjector::List() const {
  absl::MutexLock lock(&mu_);
  return rules_;
}

std::optional<FaultRule> FaultInjector::Pick(const std::string& method,
                                             const std::string& path) {
  absl::MutexLock lock(&mu_);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (!absl::StartsWith(path, it->path_prefix)) continue;
    if (!it->method.empty() && it->method != method) continue;
    if (it->rate < 1.0 && coin(random_) >= it->rate) continue;
    FaultRule fired = *it;
    if (it->remaining > 0 && --it->remaining == 0) rules_.erase(it);
    return fired;
  }
  return std::nullopt;
}

}  // namespace ferry::simcore
