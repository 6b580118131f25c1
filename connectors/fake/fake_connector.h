#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "engine/connector/connector.h"
#include "proto/config.pb.h"

namespace ferry::fake {

// The connector of kind "fake": a FakeSystem in the directory named by the
// system's url ("file:///var/tmp/sys" or a plain path). The integration
// user is the system's user_email ("ferry" when empty): changes and
// comments it made are not read back (no echo).
//
// Target lookup queries are `Field=value`, matched exactly on text fields.
// Registered in the ConnectorRegistry under "fake"; also made directly by
// tests through MakeFakeConnector.
absl::StatusOr<std::unique_ptr<ferry::engine::Connector>> MakeFakeConnector(
    const ferry::v1::SystemConfig& system);

}  // namespace ferry::fake
