#pragma once

#include <string>

namespace ferry::simcore {

// Shuts down (both directions) the accepted TCP connection of this process
// whose peer is `peer_addr`:`peer_port` and whose local port is
// `local_port`, so the client sees the connection close with no response.
// cpp-httplib hides the socket from handlers, so this finds it by scanning
// the process's descriptors. Returns false when no such connection exists.
bool AbortConnection(const std::string& peer_addr, int peer_port,
                     int local_port);

}  // namespace ferry::simcore
