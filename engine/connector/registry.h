#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/config/system_options.h"
#include "engine/connector/connector.h"
#include "engine/connector/connector_context.h"
#include "mapping/system_schema.h"
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

// Everything Ferry knows about one kind of end system, in one value: the
// one seam through which a system joins. Each connector defines its
// descriptor in its own folder (`connectors/<kind>/`) and registers it
// with a SystemRegistration; nothing outside that folder names the kind.
// See docs/adding-a-system.md.
struct SystemDescriptor {
  // Fields, rules, query dialect and comment kinds; `schema.kind` is the
  // SystemConfig.kind this descriptor serves.
  mapping::SystemSchema schema;
  // The options message its `options:` block is read into, and the rules
  // between its fields; a null prototype means the kind takes no options.
  config::SystemOptionsSpec options;
  // Makes a connector for a configured system of this kind.
  ConnectorFactory factory;
};

// Descriptors by kind. Registering one also makes its schema findable by
// kind for mapping and config validation (mapping::FindSystemSchema), and
// its options for the config reader (config::FindSystemOptions).
// Registration happens at static-initialisation time (link the connector
// with alwayslink = 1), so adding a system touches no engine code.
// Thread-safe.
class ConnectorRegistry {
 public:
  // Adds a descriptor. Registering a kind twice, or one with an empty kind
  // or no factory, is a programming error and aborts at start-up, naming
  // the kind.
  static void Register(SystemDescriptor descriptor);

  // Makes the connector for `system`. NOT_FOUND, naming the known kinds,
  // when its kind is not registered.
  static absl::StatusOr<std::unique_ptr<Connector>> Create(
      const ferry::v1::SystemConfig& system, const std::string& secret,
      const ConnectorContext& context = {});

  // Registered kinds, sorted.
  static std::vector<std::string> Kinds();
};

// Registers a descriptor when constructed; define one at namespace scope
// in the connector's .cc:
//   const SystemRegistration kRegistration({MySchema(), MyOptions(), &MakeMine});
struct SystemRegistration {
  explicit SystemRegistration(SystemDescriptor descriptor) {
    ConnectorRegistry::Register(std::move(descriptor));
  }
};

}  // namespace ferry::engine
