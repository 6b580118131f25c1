#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace ferry::ctl {

// What ferryctl prints when a call to ferryd's control API at `server`
// failed with `status`: gRPC's words, and for the failures a person can fix
// from here, what to do:
//   - UNAVAILABLE (nothing listens, refused, unreachable, TLS mismatch):
//     ferryd is not running there, or serves elsewhere: --server, and
//     where ferryd's address comes from (server.control_listen,
//     --control_listen, the control_port of its start line), and --tls_ca
//     when ferryd serves TLS;
//   - UNAUTHENTICATED: the bearer token, from the variable `token_env`
//     names;
//   - DEADLINE_EXCEEDED: ferryd did not answer in time.
// Any other status is ferryd's own answer and is returned as it is.
std::string DescribeCallError(const grpc::Status& status, absl::string_view server,
                              absl::string_view token_env);

}  // namespace ferry::ctl
