#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/connector/connector.h"
#include "engine/connector/connector_context.h"
#include "proto/config.pb.h"

namespace ferry::engine {

// Makes the Connector for one configured system. `secret` is the resolved
// token; the factory must keep it out of every message it produces.
// `context` lends the process-wide budgets, HTTP observer and reader
// wake-up; see ConnectorContext.
using ConnectorFactory =
    std::function<absl::StatusOr<std::unique_ptr<Connector>>(
        const ferry::v1::SystemConfig& system, const std::string& secret,
        const ConnectorContext& context)>;

// Connectors by kind ("pagerduty", "jira"). Connectors register themselves
// at static-initialisation time with a ConnectorRegistration in their .cc
// (link it with alwayslink = 1), so adding a system touches no engine code.
// Thread-safe.
class ConnectorRegistry {
 public:
  // Adds a kind. Registering a kind twice is a programming error and
  // aborts at start-up, naming the kind.
  static void Register(absl::string_view kind, ConnectorFactory factory);

  // Makes the connector for `system`. NOT_FOUND, naming the known kinds,
  // when its kind is not registered.
  static absl::StatusOr<std::unique_ptr<Connector>> Create(
      const ferry::v1::SystemConfig& system, const std::string& secret,
      const ConnectorContext& context = {});

  // Registered kinds, sorted.
  static std::vector<std::string> Kinds();
};

// Registers a connector kind when constructed; define one at namespace
// scope in the connector's .cc:
//   const ConnectorRegistration kRegistration("pagerduty", &MakeConnector);
struct ConnectorRegistration {
  ConnectorRegistration(absl::string_view kind, ConnectorFactory factory) {
    ConnectorRegistry::Register(kind, std::move(factory));
  }
};

}  // namespace ferry::engine
