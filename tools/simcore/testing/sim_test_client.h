#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace ferry::simcore {

// What the simulators' test helpers (TestJira, TestServiceNow) share: the
// start-up of a simulator on an OS-chosen port and a plain HTTP client to
// it whose every request must get an answer.

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

// The body of `result` as JSON (null when there is no answer or it is not
// JSON).
nlohmann::json Body(const httplib::Result& result);

// Body(result) when `result` is a 2xx answer; otherwise fails the calling
// test (gtest ADD_FAILURE) with `what` (e.g. "PUT /rest/api/2/issue/1 as
// alice") and the answer's body, and returns null.
nlohmann::json SuccessBody(const httplib::Result& result, const std::string& what);

}  // namespace ferry::simcore
