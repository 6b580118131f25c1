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
  Connect(simulator_->Start());
}

TestJira::~TestJira() { simulator_->Stop(); }

std::string TestJira::BasicFor(const std::string& user) const {
  std::string credentials =
      dialect_ == Dialect::kCloud
          ? absl::StrCat(user, "@example.com:", user, "-api-token")
          : absl::StrCat(user, ":", user, "-password");
  return "Basic " + absl::Base64Escape(credentials);
}

httplib::Headers TestJira::HeadersFor(const std::string& user) const {
  if (user.empty()) return {};
  return {{"Authorization", BasicFor(user)}};
}

httplib::Result TestJira::GetWithAuthorization(
    const std::string& path, const std::string& authorization) {
  return sim_client().Get(path, {{"Authorization", authorization}});
}

}  // namespace ferry::jira_sim
