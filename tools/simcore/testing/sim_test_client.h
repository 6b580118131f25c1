#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace ferry::simcore {

// What the simulators' test helpers (TestJira, TestServiceNow) share: the
// start-up of a simulator on an OS-chosen port, a plain HTTP client to it
// whose every request must get an answer, and requests as a fixture user.

// The port a simulator's Start() returned, or 0 after failing the calling
// test (gtest ADD_FAILURE) with the start-up error; a SimTestClient on
// port 0 then fails each request instead of crashing the test.
int PortOrFail(const absl::StatusOr<int>& started);

// A cpp-httplib client to 127.0.0.1:`port`, TCP_NODELAY on (as the
// simulators answer). Each request returns httplib's answer; one that gets
// none (no connection, a dropped one) also fails the calling test (gtest
// EXPECT) naming its method and path, so a test expecting a dropped
// connection uses http() instead. Requests carry exactly `headers`; a JSON
// body goes as application/json. As thread-safe as httplib::Client.
class SimTestClient {
 public:
  explicit SimTestClient(int port);

  httplib::Result Get(const std::string& path, const httplib::Headers& headers);
  httplib::Result Delete(const std::string& path, const httplib::Headers& headers);
  httplib::Result Post(const std::string& path, const httplib::Headers& headers,
                       const nlohmann::json& body);
  httplib::Result Patch(const std::string& path, const httplib::Headers& headers,
                        const nlohmann::json& body);
  httplib::Result Put(const std::string& path, const httplib::Headers& headers,
                      const nlohmann::json& body);
  // Any method, with a literal body (no Content-Type unless in `headers`).
  httplib::Result Send(const std::string& method, const std::string& path,
                       const httplib::Headers& headers, const std::string& body);

  // The client itself, for requests whose failure the test expects.
  httplib::Client& http() { return client_; }

 private:
  httplib::Client client_;
};

// The base of a simulator's test helper (TestJira, TestServiceNow):
// requests to its simulator as a fixture user, each a SimTestClient request
// (so one that gets no answer fails the test) with the headers
// HeadersFor(user) gives. `user` defaults to "ferry", the integration user
// of every simulator's test fixture; "" sends no credentials. Paths are
// absolute ("/rest/api/2/myself"). A derived helper starts its simulator
// and calls Connect in its constructor, before any request.
class SimUserClient {
 public:
  virtual ~SimUserClient() = default;

  httplib::Result Get(const std::string& path, const std::string& user = "ferry");
  httplib::Result Delete(const std::string& path, const std::string& user = "ferry");
  httplib::Result Post(const std::string& path, const nlohmann::json& body,
                       const std::string& user = "ferry");
  httplib::Result Patch(const std::string& path, const nlohmann::json& body,
                        const std::string& user = "ferry");
  httplib::Result Put(const std::string& path, const nlohmann::json& body,
                      const std::string& user = "ferry");

  // The simulator's port (0 when it did not start).
  int port() const { return port_; }

 protected:
  // Connects to the port a simulator's Start() returned (PortOrFail). Call
  // once.
  void Connect(const absl::StatusOr<int>& started);
  // The headers of a request as `user`: its credentials ("" none) and
  // whatever else the simulator's clients always send.
  virtual httplib::Headers HeadersFor(const std::string& user) const = 0;
  // The client Connect made, for requests with literal headers.
  SimTestClient& sim_client() { return *client_; }

 private:
  std::unique_ptr<SimTestClient> client_;
  int port_ = 0;
};

// The body of `result` as JSON (null when there is no answer or it is not
// JSON).
nlohmann::json Body(const httplib::Result& result);

// Body(result) when `result` is a 2xx answer; otherwise fails the calling
// test (gtest ADD_FAILURE) with `what` (e.g. "PUT /rest/api/2/issue/1 as
// alice") and the answer's body, and returns null.
nlohmann::json SuccessBody(const httplib::Result& result, const std::string& what);

}  // namespace ferry::simcore
