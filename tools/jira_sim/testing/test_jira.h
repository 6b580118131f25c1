#pragma once

#include <memory>
#include <string>

#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/jira_simulator.h"
#include "tools/simcore/testing/sim_test_client.h"

namespace ferry::jira_sim {

// Test helper: a JiraSimulator over testdata/fixture.json on an OS-chosen
// port, and a plain cpp-httplib client to drive it. Fails the calling test
// (gtest ADD_FAILURE) when the simulator cannot start.
//
// Fixture users: "ferry" (Australia/Sydney, may do everything), "alice"
// (America/New_York), "viewer" (may browse only). Basic credentials are
// name:<name>-password on DC and <name>@example.com:<name>-api-token on
// Cloud; ferry and viewer also have PATs "ferry-pat" / "viewer-pat".
class TestJira {
 public:
  explicit TestJira(Dialect dialect);
  ~TestJira();

  // Authorization header value for a fixture user in this dialect.
  std::string BasicFor(const std::string& user) const;

  // Requests as `user` ("" sends no Authorization). Paths are absolute
  // ("/rest/api/2/myself"). Never null: a failed connection fails the test.
  httplib::Result Get(const std::string& path, const std::string& user = "ferry");
  httplib::Result Delete(const std::string& path, const std::string& user = "ferry");
  httplib::Result Post(const std::string& path, const nlohmann::json& body,
                       const std::string& user = "ferry");
  httplib::Result Put(const std::string& path, const nlohmann::json& body,
                      const std::string& user = "ferry");
  // Requests with a literal Authorization header value.
  httplib::Result GetWithAuthorization(const std::string& path,
                                       const std::string& authorization);

  JiraSimulator& simulator() { return *simulator_; }
  int port() const { return port_; }

 private:
  httplib::Headers Headers(const std::string& user) const;

  Dialect dialect_;
  std::unique_ptr<JiraSimulator> simulator_;
  std::unique_ptr<simcore::SimTestClient> client_;
  int port_ = 0;
};

// The body of a result as JSON (null when it is not JSON).
using simcore::Body;

}  // namespace ferry::jira_sim
