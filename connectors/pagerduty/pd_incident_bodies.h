#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"

namespace ferry::pagerduty {

// The bodies (`body`, whose details are Description) of the incidents the
// readers of one account have seen one of: from a trigger entry's details,
// a list of new incidents or a GET. PagerDuty sets an incident's body when
// it is created and offers no way to change it, so a body seen once
// answers for the rest of the incident's life, and a later change of the
// incident needs no GET to carry its Description.
//
// Bounded by `max_bytes` of serialized JSON (plus a fixed cost per
// incident), whatever the number of services and readers sharing it: the
// incidents remembered first are forgotten first. Forgetting costs one GET
// when the incident changes again, never a field.
//
// Thread-safe: the readers of an account share one (AccountLog::Bodies).
class IncidentBodies {
 public:
  static constexpr size_t kDefaultMaxBytes = 4 << 20;

  explicit IncidentBodies(size_t max_bytes = kDefaultMaxBytes);

  // Remembers `body` as incident `id`'s; a body larger than the bound is
  // not kept.
  void Remember(const std::string& id, const nlohmann::json& body);
  // Incident `id`'s body, or nullopt when none is remembered.
  std::optional<nlohmann::json> Find(const std::string& id) const;

 private:
  struct Body {
    nlohmann::json json;
    size_t bytes = 0;
  };

  const size_t max_bytes_;
  mutable absl::Mutex mu_;
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, Body> by_id_ ABSL_GUARDED_BY(mu_);
  // Ids in the order they were first remembered.
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::pagerduty
