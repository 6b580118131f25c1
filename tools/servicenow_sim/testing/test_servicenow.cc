#include "tools/servicenow_sim/testing/test_servicenow.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/servicenow_sim/seed.h"

namespace ferry::servicenow_sim {
namespace {

nlohmann::json User(const std::string& name, const std::string& full_name,
                    const std::string& roles) {
  return {{"user_name", name},
          {"name", full_name},
          {"user_password", name + "-password"},
          {"roles", roles},
          {"active", "true"}};
}

nlohmann::json State(const std::string& value, const std::string& label) {
  return {{"name", "incident"}, {"element", "state"}, {"value", value},
          {"label", label}, {"language", "en"}};
}

nlohmann::json TestSeed() {
  return {
      {"sys_user",
       {User("ferry", "Ferry Integration", "itil,audit_viewer"),
        User("itil_only", "Ida Itil", "itil"), User("nobody", "No Body", ""),
        User("admin", "System Administrator", "admin")}},
      {"sys_user_group",
       {{{"sys_id", TestServiceNow::kNetworkGroup},
         {"name", "Network"},
         {"active", "true"}}}},
      {"oauth_entity",
       {{{"name", "Ferry"},
         {"client_id", "ferry-client"},
         {"client_secret", "ferry-secret"}}}},
      {"sys_choice",
       {State("1", "New"), State("2", "In Progress"), State("3", "On Hold"),
        State("6", "Resolved"), State("7", "Closed"),
        State("8", "Canceled")}}};
}

}  // namespace

TestServiceNow::TestServiceNow(
    std::function<void(ServiceNowSimulator&)> setup) {
  simulator_ =
      std::make_unique<ServiceNowSimulator>(simcore::SimServerOptions());
  absl::Status seeded =
      LoadSeed(TestSeed(), simulator_->store(), simulator_->Now());
  if (!seeded.ok()) ADD_FAILURE() << seeded;
  if (setup) setup(*simulator_);
  Connect(simulator_->Start());
}

TestServiceNow::~TestServiceNow() { simulator_->Stop(); }

std::string TestServiceNow::BasicFor(const std::string& user) {
  return "Basic " + absl::Base64Escape(absl::StrCat(user, ":", user, "-password"));
}

std::string TestServiceNow::BearerFor(const std::string& user) {
  httplib::Params form = {{"grant_type", "password"},
                          {"client_id", "ferry-client"},
                          {"client_secret", "ferry-secret"},
                          {"username", user},
                          {"password", user + "-password"}};
  httplib::Result result = client().Post("/oauth_token.do", form);
  if (!result || result->status != 200) {
    ADD_FAILURE() << "no token for " << user;
    return "";
  }
  return "Bearer " + Body(result).value("access_token", "");
}

nlohmann::json TestServiceNow::CreateIncident(const nlohmann::json& fields) {
  httplib::Result created = Post("/api/now/table/incident", fields);
  if (!created || created->status != 201) {
    ADD_FAILURE() << "creating an incident: "
                  << (created ? created->body : httplib::to_string(created.error()));
    return nullptr;
  }
  return Body(created)["result"];
}

httplib::Headers TestServiceNow::HeadersFor(const std::string& user) const {
  httplib::Headers headers = {{"Accept", "application/json"}};
  if (!user.empty()) headers.emplace("Authorization", BasicFor(user));
  return headers;
}

httplib::Result TestServiceNow::Send(const std::string& method,
                                     const std::string& path,
                                     const httplib::Headers& headers,
                                     const std::string& body) {
  return sim_client().Send(method, path, headers, body);
}

}  // namespace ferry::servicenow_sim
