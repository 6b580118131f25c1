#include "tools/simcore/testing/sim_test_client.h"

#include "gtest/gtest.h"

namespace ferry::simcore {
namespace {

constexpr char kJson[] = "application/json";

// `result`, after failing the test when it holds no answer.
httplib::Result Answered(httplib::Result result, const std::string& method,
                         const std::string& path) {
  EXPECT_TRUE(result) << method << " " << path;
  return result;
}

}  // namespace

int PortOrFail(const absl::StatusOr<int>& started) {
  if (started.ok()) return *started;
  ADD_FAILURE() << started.status();
  return 0;
}

SimTestClient::SimTestClient(int port) : client_("127.0.0.1", port) {
  client_.set_tcp_nodelay(true);
}

httplib::Result SimTestClient::Get(const std::string& path,
                                   const httplib::Headers& headers) {
  return Answered(client_.Get(path, headers), "GET", path);
}

httplib::Result SimTestClient::Delete(const std::string& path,
                                      const httplib::Headers& headers) {
  return Answered(client_.Delete(path, headers), "DELETE", path);
}

httplib::Result SimTestClient::Post(const std::string& path,
                                    const httplib::Headers& headers,
                                    const nlohmann::json& body) {
  return Answered(client_.Post(path, headers, body.dump(), kJson), "POST", path);
}

httplib::Result SimTestClient::Patch(const std::string& path,
                                     const httplib::Headers& headers,
                                     const nlohmann::json& body) {
  return Answered(client_.Patch(path, headers, body.dump(), kJson), "PATCH", path);
}

httplib::Result SimTestClient::Put(const std::string& path,
                                   const httplib::Headers& headers,
                                   const nlohmann::json& body) {
  return Answered(client_.Put(path, headers, body.dump(), kJson), "PUT", path);
}

httplib::Result SimTestClient::Send(const std::string& method,
                                    const std::string& path,
                                    const httplib::Headers& headers,
                                    const std::string& body) {
  httplib::Request request;
  request.method = method;
  request.path = path;
  request.headers = headers;
  request.body = body;
  return Answered(client_.send(request), method, path);
}

void SimUserClient::Connect(const absl::StatusOr<int>& started) {
  port_ = PortOrFail(started);
  client_ = std::make_unique<SimTestClient>(port_);
}

httplib::Result SimUserClient::Get(const std::string& path, const std::string& user) {
  return client_->Get(path, HeadersFor(user));
}

httplib::Result SimUserClient::Delete(const std::string& path, const std::string& user) {
  return client_->Delete(path, HeadersFor(user));
}

httplib::Result SimUserClient::Post(const std::string& path, const nlohmann::json& body,
                                    const std::string& user) {
  return client_->Post(path, HeadersFor(user), body);
}

httplib::Result SimUserClient::Patch(const std::string& path, const nlohmann::json& body,
                                     const std::string& user) {
  return client_->Patch(path, HeadersFor(user), body);
}

httplib::Result SimUserClient::Put(const std::string& path, const nlohmann::json& body,
                                   const std::string& user) {
  return client_->Put(path, HeadersFor(user), body);
}

nlohmann::json Body(const httplib::Result& result) {
  if (!result) return nullptr;
  nlohmann::json body = nlohmann::json::parse(result->body, nullptr, false);
  return body.is_discarded() ? nlohmann::json() : body;
}

nlohmann::json SuccessBody(const httplib::Result& result, const std::string& what) {
  if (!result || result->status / 100 != 2) {
    ADD_FAILURE() << what << ": " << (result ? result->body : "no answer");
    return nullptr;
  }
  return Body(result);
}

}  // namespace ferry::simcore
