#include "connectors/servicenow/testing/simulated_servicenow.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/simcore/testing/sim_test_client.h"

namespace ferry::servicenow {

SimulatedServiceNow::SimulatedServiceNow(const ServiceNowOptions& options)
    : sim_(std::make_unique<servicenow_sim::TestServiceNow>()), token_("ferry-password") {
  config_.set_name("servicenow");
  config_.set_kind("servicenow");
  config_.set_url(absl::StrCat("http://127.0.0.1:", sim_->port()));
  config_.set_username("ferry");
  config_.mutable_typed_options()->PackFrom(options);
  ferry::engine::ConnectorContext context;
  context.http_observer = &calls_;
  auto client = TableClient::Create(config_, token_, context);
  if (!client.ok()) {
    ADD_FAILURE() << client.status();
    return;
  }
  client_ = *std::move(client);
}

ferry::v1::SystemConfig SimulatedServiceNow::ConfigAs(const std::string& user_name) const {
  ferry::v1::SystemConfig config = config_;
  config.set_username(user_name);
  return config;
}

nlohmann::json SimulatedServiceNow::As(const std::string& user, const std::string& method,
                                       const std::string& path, const nlohmann::json& body) {
  const std::string full = absl::StrCat("/admin/servicenow/as/", user, "/api/now/table", path);
  httplib::Result result =
      method == "PATCH" ? sim_->Patch(full, body, "") : sim_->Post(full, body, "");
  const nlohmann::json answer = simcore::SuccessBody(result, absl::StrCat(method, " ", full));
  return answer.is_object() && answer.contains("result") ? answer["result"] : nlohmann::json();
}

nlohmann::json SimulatedServiceNow::Rows(const std::string& table, const std::string& query) {
  httplib::Params params{{"sysparm_query", query}};
  const std::string path = httplib::append_query_params(
      absl::StrCat("/admin/servicenow/tables/", table, "/rows"), params);
  const nlohmann::json answer = simcore::SuccessBody(sim_->Get(path, ""), "GET " + path);
  return answer.is_object() && answer.contains("result") ? answer["result"]
                                                         : nlohmann::json::array();
}

}  // namespace ferry::servicenow
