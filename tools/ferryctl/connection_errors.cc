#include "tools/ferryctl/connection_errors.h"

#include "absl/strings/str_cat.h"

namespace ferry::ctl {

std::string DescribeCallError(const grpc::Status& status, absl::string_view server,
                              absl::string_view token_env) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return absl::StrCat(
          "cannot reach ferryd at ", server, " (", status.error_message(),
          "). Fix: start ferryd, or point ferryctl at it with --server=HOST:PORT: "
          "ferryd serves the control API on server.control_listen of its config "
          "(or its --control_listen flag; default 127.0.0.1:7400), and its start "
          "line in the log gives control_port. When ferryd serves TLS, also pass "
          "--tls_ca=CA.pem");
    case grpc::StatusCode::UNAUTHENTICATED:
      return absl::StrCat(
          "ferryd at ", server, " refused the call (", status.error_message(),
          "). Fix: put the control token (server.control_token of ferryd's config) "
          "in the environment variable ", token_env,
          ", or name another variable with --token_env");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::StrCat(
          "ferryd at ", server, " did not answer in time (", status.error_message(),
          "). Fix: check that ferryd is not stopped or overloaded (its log), and "
          "that --server names ferryd and not another service");
    default:
      return status.error_message();
  }
}

}  // namespace ferry::ctl
