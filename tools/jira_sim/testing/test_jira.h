#pragma once

#include <memory>
#include <string>

#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/jira_simulator.h"
#include "tools/simcore/testing/sim_test_client.h"

namespace ferry::jira_sim {

// Test helper: a JiraSimulator over testdata/fixture.json on an OS-chosen
// port, and a plain cpp-httplib client to drive it as a fixture user
// (simcore::SimUserClient: Get, Delete, Post, Put, Patch; never null, a
// failed connection fails the test). Fails the calling test (gtest
// ADD_FAILURE) when the simulator cannot start.
//
// Fixture users: "ferry" (Australia/Sydney, may do everything), "alice"
// (America/New_York), "viewer" (may browse only). Basic credentials are
// name:<name>-password on DC and <name>@example.com:<name>-api-token on
// Cloud; ferry and viewer also have PATs "ferry-pat" / "viewer-pat".
class TestJira : public simcore::SimUserClient {
 public:
  explicit TestJira(Dialect dialect);
  ~TestJira() override;

  // Authorization header value for a fixture user in this dialect.
  std::string BasicFor(const std::string& user) const;

  // A GET with a literal Authorization header value.
  httplib::Result GetWithAuthorization(const std::string& path,
                                       const std::string& authorization);

  JiraSimulator& simulator() { return *simulator_; }

 private:
  // Authorization: BasicFor(user), nothing else.
  httplib::Headers HeadersFor(const std::string& user) const override;

  Dialect dialect_;
  std::unique_ptr<JiraSimulator> simulator_;
};

// The body of a result as JSON (null when it is not JSON).
using simcore::Body;

}  // namespace ferry::jira_sim
