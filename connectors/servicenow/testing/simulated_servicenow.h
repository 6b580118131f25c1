#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "connectors/servicenow/sn_options.pb.h"
#include "connectors/servicenow/sn_table_client.h"
#include "http/http_observer.h"
#include "nlohmann/json.hpp"
#include "proto/config.pb.h"
#include "tools/servicenow_sim/testing/test_servicenow.h"

namespace ferry::servicenow {

// Counts the HTTP attempts a TableClient makes (retries and OAuth grants
// included), reads and writes apart, for tests that pin what a sync
// costs. Thread-safe.
class SnCallCounter : public http::HttpObserver {
 public:
  struct Calls {
    int reads = 0;   // GET
    int writes = 0;  // POST, PATCH, PUT, DELETE
    int total() const { return reads + writes; }
  };
  void OnAttempt(const http::HttpAttempt& attempt) override {
    (attempt.method == http::HttpMethod::kGet ? reads_ : writes_).fetch_add(1);
  }
  // The attempts since the last Take.
  Calls Take() { return {reads_.exchange(0), writes_.exchange(0)}; }

 private:
  std::atomic<int> reads_{0};
  std::atomic<int> writes_{0};
};

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
  SnCallCounter& calls() { return calls_; }

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
  SnCallCounter calls_;
  std::shared_ptr<TableClient> client_;
};

}  // namespace ferry::servicenow
