#pragma once

#include <memory>
#include <string>

#include "connectors/jira/jira_api.h"
#include "gtest/gtest.h"
#include "proto/config.pb.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira {

// Both dialects, for INSTANTIATE_TEST_SUITE_P over a jira_sim::Dialect
// parameter, with DialectName to name the instances.
inline auto BothDialects() {
  return ::testing::Values(jira_sim::Dialect::kDataCenter, jira_sim::Dialect::kCloud);
}

// The test name of a Dialect parameter: "DataCenter" or "Cloud".
std::string DialectName(const ::testing::TestParamInfo<jira_sim::Dialect>& info);

// Test helper: a Jira simulator (tools/jira_sim fixture) in one dialect on
// an OS-chosen port, the SystemConfig and token of its integration user
// "ferry" (Cloud: e-mail + API token; Data Center: personal access token),
// and a JiraApi over them. Fails the calling test when anything cannot
// start.
class SimulatedJira {
 public:
  explicit SimulatedJira(jira_sim::Dialect dialect);

  jira_sim::TestJira& sim() { return sim_; }
  const ferry::v1::SystemConfig& config() const { return config_; }
  const std::string& token() const { return token_; }
  JiraApi& api() { return *api_; }
  bool cloud() const { return dialect_ == jira_sim::Dialect::kCloud; }

  // Acts as the fixture's human "alice": POST/PUT to a REST path such as
  // "/issue/10000/comment" under /rest/api/2 (wiki bodies). Fails the test
  // unless Jira answers 2xx; returns the answer's JSON.
  nlohmann::json AsAlice(const std::string& method, const std::string& path,
                         const nlohmann::json& body);

 private:
  const jira_sim::Dialect dialect_;
  jira_sim::TestJira sim_;
  ferry::v1::SystemConfig config_;
  std::string token_;
  std::unique_ptr<JiraApi> api_;
};

}  // namespace ferry::jira
