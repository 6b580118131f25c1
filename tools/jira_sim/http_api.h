#pragma once

#include <functional>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/jira_sim/model.h"
#include "tools/jira_sim/render.h"

namespace ferry::jira_sim {

// One authenticated REST call, as handlers see it.
struct Call {
  const httplib::Request* request = nullptr;
  std::string method;
  std::string path;               // after /rest/api/<version>
  std::vector<std::string> args;  // the route pattern's captures
  View view;
  User caller;
  absl::Time now;

  // A query parameter; repeated parameters are joined with commas.
  std::string Param(const std::string& name) const;
  bool HasParam(const std::string& name) const;
  // An integer parameter, `fallback` when absent; 400 when not a number.
  absl::StatusOr<int> IntParam(const std::string& name, int fallback) const;
  // The body as a JSON object; 400 with the parser's words when it is not.
  absl::StatusOr<nlohmann::json> JsonBody() const;
};

// What a handler answers. A `body` of null with status 204 sends nothing.
struct Reply {
  int status = 200;
  nlohmann::json body;
  std::map<std::string, std::string> headers;

  static Reply Json(int status, nlohmann::json body);
  static Reply NoContent();
  // Jira's error body and status for `status` (see errors.h).
  static Reply Error(const absl::Status& status);
};

using Handler = std::function<Reply(const Call&)>;

// Maps (method, path pattern) to handlers. Patterns are regular expressions
// over the path after /rest/api/<version>, matched whole; captures become
// Call::args. Thread-safe once built (Add before serving).
class Router {
 public:
  void Add(const std::string& method, const std::string& pattern,
           Handler handler);
  // Runs the matching handler (filling call.args), or answers 404 naming
  // the path when nothing matches.
  Reply Dispatch(Call& call) const;

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
  };
  std::vector<Route> routes_;
};

// Writes `reply` into an httplib response as JSON (UTF-8).
void WriteReply(const Reply& reply, httplib::Response& res);

}  // namespace ferry::jira_sim
