#include "tools/jira_sim/testing/test_jira.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/jira_sim/fixture.h"

namespace ferry::jira_sim {

constexpr char kFixture[] = "tools/jira_sim/testdata/fixture.json";

TestJira::TestJira(Dialect dialect) : dialect_(dialect) {
  absl::StatusOr<State> state = StateFromFixtureFile(kFixture);
  if (!state.ok()) {
    ADD_FAILURE() << state.status();
    state = State();
  }
  simulator_ = std::make_unique<JiraSimulator>(dialect, *std::move(state),
                                               simcore::SimServerOptions());
  absl::StatusOr<int> port = simulator_->Start();
  if (!port.ok()) {
    ADD_FAILURE() << port.status();
    return;
  }
  port_ = *port;
  client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client_->set_tcp_nodelay(true);
}

TestJira::~TestJira() { simulator_->Stop(); }

std::string TestJira::BasicFor(const std::string& user) const {
  std::string credentials =
      dialect_ == Dialect::kCloud
          ? absl::StrCat(user, "@example.com:", user, "-api-token")
          : absl::StrCat(user, ":", user, "-password");
  return "Basic " + absl::Base64Escape(credentials);
}

httplib::Headers TestJira::Headers(const std::string& user) const {
  if (user.empty()) return {};
  return {{"Authorization", BasicFor(user)}};
}

httplib::Result TestJira::Get(const std::string& path, const std::string& user) {
  httplib::Result result = client_->Get(path.c_str(), Headers(user));
  EXPECT_TRUE(result) << "GET " << path;
  return result;
}

httplib::Result TestJira::Delete(const std::string& path,
                                 const std::string& user) {
  httplib::Result result = client_->Delete(path.c_str(), Headers(user));
  EXPECT_TRUE(result) << "DELETE " << path;
  return result;
}

httplib::Result TestJira::Post(const std::string& path,
                               const nlohmann::json& body,
                               const std::string& user) {
  httplib::Result result = client_->Post(path.c_str(), Headers(user),
                                         body.dump(), "application/json");
  EXPECT_TRUE(result) << "POST " << path;
  return result;
}

httplib::Result TestJira::Put(const std::string& path,
                              const nlohmann::json& body,
                              const std::string& user) {
  httplib::Result result = client_->Put(path.c_str(), Headers(user),
                                        body.dump(), "application/json");
  EXPECT_TRUE(result) << "PUT " << path;
  return result;
}

httplib::Result TestJira::GetWithAuthorization(
    const std::string& path, const std::string& authorization) {
  httplib::Result result =
      client_->Get(path.c_str(), {{"Authorization", authorization}});
  EXPECT_TRUE(result) << "GET " << path;
  return result;
}

nlohmann::json Body(const httplib::Result& result) {
  if (!result) return nullptr;
  nlohmann::json body = nlohmann::json::parse(result->body, nullptr, false);
  return body.is_discarded() ? nlohmann::json() : body;
}

}  // namespace ferry::jira_sim
