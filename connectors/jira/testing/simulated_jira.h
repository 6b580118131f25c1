#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "connectors/jira/jira_api.h"
#include "gtest/gtest.h"
#include "http/http_observer.h"
#include "http/testing/call_counter.h"
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

// Counts the HTTP attempts a JiraApi makes (http::testing::CallCounter),
// and can run a person's action between two of a writer's calls.
// Thread-safe.
class JiraCallCounter : public http::testing::CallCounter {
 public:
  void OnAttempt(const http::HttpAttempt& attempt) override {
    CallCounter::OnAttempt(attempt);
    if (attempt.method == http::HttpMethod::kGet || attempt.method == http::HttpMethod::kHead) {
      return;
    }
    std::function<void()> action;
    {
      absl::MutexLock lock(&mu_);
      action.swap(after_next_write_);
    }
    if (action) action();
  }
  // Runs `action` once, on the caller's thread, right after the next write
  // attempt is answered: a person acting between two of a writer's calls.
  void AfterNextWrite(std::function<void()> action) {
    absl::MutexLock lock(&mu_);
    after_next_write_ = std::move(action);
  }

 private:
  absl::Mutex mu_;
  std::function<void()> after_next_write_ ABSL_GUARDED_BY(mu_);
};

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
  // What api() has called since the last Take.
  JiraCallCounter& calls() { return calls_; }
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
  JiraCallCounter calls_;
  std::unique_ptr<JiraApi> api_;
};

}  // namespace ferry::jira
