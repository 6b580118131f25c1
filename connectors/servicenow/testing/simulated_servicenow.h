#pragma once

#include <memory>
#include <string>

#include "connectors/servicenow/sn_options.pb.h"
#include "connectors/servicenow/sn_table_client.h"
#include "http/testing/call_counter.h"
#include "nlohmann/json.hpp"
#include "proto/config.pb.h"
#include "tools/servicenow_sim/testing/test_servicenow.h"

namespace ferry::servicenow {

// Test helper: a ServiceNow simulator (tools/servicenow_sim's TestServiceNow,
// which applies the incident table's business rules) on an OS-chosen port, the
// SystemConfig of its integration user "ferry" (itil + audit_viewer; Basic
// with password "ferry-password" unless `options` say otherwise), and a
// TableClient over them whose calls are counted. Fails the calling test
// when anything cannot start.
class SimulatedServiceNow {
 public:
  explicit SimulatedServiceNow(const ServiceNowOptions& options = {});

  servicenow_sim::TestServiceNow& sim() { return *sim_; }
  const ferry::v1::SystemConfig& config() const { return config_; }
  const std::string& token() const { return token_; }
  // Shared, as the connector shares its client between reader and writers.
  const std::shared_ptr<TableClient>& client() { return client_; }
  // What client() has called since the last Take.
  http::testing::CallCounter& calls() { return calls_; }

  // The same config signed in as another fixture user ("itil_only",
  // "nobody"; password "<user>-password"), for permission tests.
  ferry::v1::SystemConfig ConfigAs(const std::string& user_name) const;

  // Acts as the fixture's `user` (a person in the UI): `method` ("POST",
  // "PATCH") on a Table API path such as "/incident/<sys_id>" under
  // /api/now/table. Fails the test unless ServiceNow answers 2xx; returns
  // the answer's "result".
  nlohmann::json As(const std::string& user, const std::string& method, const std::string& path,
                    const nlohmann::json& body);

  // Rows of `table` matching the encoded `query`, every column, as the
  // admin API shows them (for checking what was written).
  nlohmann::json Rows(const std::string& table, const std::string& query);

 private:
  std::unique_ptr<servicenow_sim::TestServiceNow> sim_;
  ferry::v1::SystemConfig config_;
  std::string token_;
  http::testing::CallCounter calls_;
  std::shared_ptr<TableClient> client_;
};

}  // namespace ferry::servicenow
