#include "connectors/jira/testing/simulated_jira.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/simcore/testing/sim_test_client.h"

namespace ferry::jira {

std::string DialectName(const ::testing::TestParamInfo<jira_sim::Dialect>& info) {
  return info.param == jira_sim::Dialect::kCloud ? "Cloud" : "DataCenter";
}

SimulatedJira::SimulatedJira(jira_sim::Dialect dialect)
    : dialect_(dialect), sim_(dialect) {
  config_.set_name(cloud() ? "jira-cloud" : "jira-dc");
  config_.set_kind("jira");
  config_.set_url(absl::StrCat("http://127.0.0.1:", sim_.port()));
  if (cloud()) {
    config_.set_user_email("ferry@example.com");
    token_ = "ferry-api-token";
  } else {
    token_ = "ferry-pat";
  }
  ferry::engine::ConnectorContext context;
  context.http_observer = &calls_;
  auto api = JiraApi::Create(config_, token_, context);
  if (!api.ok()) {
    ADD_FAILURE() << api.status();
    return;
  }
  api_ = *std::move(api);
}

nlohmann::json SimulatedJira::AsAlice(const std::string& method,
                                      const std::string& path,
                                      const nlohmann::json& body) {
  const std::string full = "/rest/api/2" + path;
  httplib::Result result = method == "PUT" ? sim_.Put(full, body, "alice")
                                           : sim_.Post(full, body, "alice");
  return simcore::SuccessBody(result, absl::StrCat(method, " ", full, " as alice"));
}

}  // namespace ferry::jira
