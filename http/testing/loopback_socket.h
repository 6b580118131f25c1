#pragma once

#include "absl/time/time.h"

namespace ferry::http::testing {

// A TCP socket connected to 127.0.0.1:`port`, whose reads give up after
// `read_timeout` (so a test that waits for an answer cannot hang); -1 when
// it cannot be made or connected. The caller closes it. For tests that
// speak HTTP by hand: raw connections that stay open, idle or trickle.
int ConnectLoopback(int port, absl::Duration read_timeout);

}  // namespace ferry::http::testing
