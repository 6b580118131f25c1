#pragma once

#include <functional>
#include <memory>
#include <string>

#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/servicenow_simulator.h"
#include "tools/simcore/testing/sim_test_client.h"

namespace ferry::servicenow_sim {

// Test helper: a ServiceNowSimulator on an OS-chosen port, seeded with the
// core's test users, and a plain cpp-httplib client to drive it as one of
// them (simcore::SimUserClient: Get, Delete, Post, Patch, Put, with Accept
// and, with a body, Content-Type application/json; never null, a failed
// connection fails the test). Fails the calling test (gtest ADD_FAILURE)
// when the simulator cannot start.
//
// Users (password "<user_name>-password"):
//   "ferry"      itil + audit_viewer (the integration user)
//   "itil_only"  itil
//   "nobody"     no role
//   "admin"      admin
// OAuth client: client_id "ferry-client", client_secret "ferry-secret".
// Group "Network" (sys_id kNetworkGroup). Choices of incident.state
// 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled.
// `setup` runs before the server starts (register rules, seed more rows).
class TestServiceNow : public simcore::SimUserClient {
 public:
  static constexpr char kNetworkGroup[] = "287ebd7da9fe198100f92cc8d1d2154e";

  explicit TestServiceNow(
      std::function<void(ServiceNowSimulator&)> setup = nullptr);
  ~TestServiceNow() override;

  // "Basic base64(user:user-password)".
  static std::string BasicFor(const std::string& user);
  // "Bearer <token>" from /oauth_token.do for `user` (fails the test and
  // returns "" when refused).
  std::string BearerFor(const std::string& user);

  // POSTs an incident with `fields` as ferry, expecting 201 (the test
  // fails otherwise); the row ServiceNow answered with (null when none).
  nlohmann::json CreateIncident(const nlohmann::json& fields);

  // Any request with literal headers (auth included) and body.
  httplib::Result Send(const std::string& method, const std::string& path,
                       const httplib::Headers& headers,
                       const std::string& body = "");

  ServiceNowSimulator& simulator() { return *simulator_; }
  httplib::Client& client() { return sim_client().http(); }

 private:
  // Accept: application/json, and Basic credentials of `user` unless "".
  httplib::Headers HeadersFor(const std::string& user) const override;

  std::unique_ptr<ServiceNowSimulator> simulator_;
};

// The body of a result as JSON (null when it is not JSON).
using simcore::Body;

}  // namespace ferry::servicenow_sim
