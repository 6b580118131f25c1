#include "connectors/pagerduty/pd_incident_bodies.h"

namespace ferry::pagerduty {
namespace {

// What keeping an incident costs beyond its body's text: its id twice, map
// and deque nodes.
constexpr size_t kPerIncidentBytes = 128;

}  // namespace

IncidentBodies::IncidentBodies(size_t max_bytes) : max_bytes_(max_bytes) {}

void IncidentBodies::Remember(const std::string& id, const nlohmann::json& body) {
  const size_t bytes = body.dump().size() + kPerIncidentBytes;
  if (bytes > max_bytes_) return;
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = by_id_.try_emplace(id);
  if (inserted) {
    order_.push_back(id);
  } else {
    bytes_ -= it->second.bytes;
  }
  it->second = {body, bytes};
  bytes_ += bytes;
  while (bytes_ > max_bytes_) {
    auto oldest = by_id_.find(order_.front());
    bytes_ -= oldest->second.bytes;
    by_id_.erase(oldest);
    order_.pop_front();
  }
}

std::optional<nlohmann::json> IncidentBodies::Find(const std::string& id) const {
  absl::MutexLock lock(&mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second.json;
}

}  // namespace ferry::pagerduty
