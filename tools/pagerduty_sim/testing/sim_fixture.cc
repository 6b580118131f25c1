#include "tools/pagerduty_sim/testing/sim_fixture.h"

#include <fstream>

#include "tools/pagerduty_sim/seed.h"

namespace ferry::pagerduty_sim {

nlohmann::json TestSeed() {
  std::ifstream in("tools/pagerduty_sim/testdata/seed.json");
  return nlohmann::json::parse(in, nullptr, false);
}

void SimFixture::SetUp() {
  const nlohmann::json seed = TestSeed();
  ASSERT_TRUE(seed.is_object()) << "testdata/seed.json missing from the runfiles";
  absl::StatusOr<State> state = StateFromSeed(seed, absl::Now());
  ASSERT_TRUE(state.ok()) << state.status();
  sim_ = std::make_unique<PagerDutySim>(simcore::SimServerOptions{},
                                        *std::move(state));
  absl::StatusOr<int> port = sim_->Start();
  ASSERT_TRUE(port.ok()) << port.status();
  client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
}

void SimFixture::TearDown() {
  if (sim_) sim_->Stop();
}

httplib::Result SimFixture::Call(const std::string& method, const std::string& path,
                                 const std::string& token, const nlohmann::json& body,
                                 const std::string& from) {
  httplib::Headers headers = {{"Accept", "application/vnd.pagerduty+json;version=2"}};
  if (!token.empty()) headers.emplace("Authorization", "Token token=" + token);
  if (!from.empty()) headers.emplace("From", from);
  const std::string text = body.is_null() ? "" : body.dump();
  if (method == "GET") return client_->Get(path, headers);
  if (method == "POST") return client_->Post(path, headers, text, "application/json");
  if (method == "PUT") return client_->Put(path, headers, text, "application/json");
  return client_->Delete(path, headers);
}

std::string SimFixture::NewIncident(const std::string& title,
                                    const std::string& service_id,
                                    const nlohmann::json& extra) {
  nlohmann::json incident = {{"type", "incident"},
                             {"title", title},
                             {"service", {{"id", service_id}, {"type", "service_reference"}}}};
  incident.update(extra);
  auto res = Call("POST", "/incidents", "account-full", {{"incident", incident}},
                  "ada@example.com");
  EXPECT_TRUE(res);
  if (!res) return "";
  EXPECT_EQ(res->status, 201) << res->body;
  return Body(res)["incident"].value("id", "");
}

httplib::Result SimFixture::Update(const std::string& id, const nlohmann::json& fields,
                                   const std::string& from) {
  nlohmann::json incident = {{"type", "incident_reference"}};
  incident.update(fields);
  return Call("PUT", "/incidents/" + id, "account-full", {{"incident", incident}}, from);
}

void SimFixture::Admin(const std::string& path, const nlohmann::json& body) {
  auto res = client_->Post(path, body.dump(), "application/json");
  ASSERT_TRUE(res);
  ASSERT_LT(res->status, 300) << path << ": " << res->body;
}

nlohmann::json Body(const httplib::Result& res) {
  if (!res) return nullptr;
  return nlohmann::json::parse(res->body, nullptr, false);
}

int ErrorCode(const httplib::Result& res) {
  nlohmann::json body = Body(res);
  if (!body.is_object() || !body.contains("error")) return -1;
  return body["error"].value("code", -1);
}

}  // namespace ferry::pagerduty_sim
