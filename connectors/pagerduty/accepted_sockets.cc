#include "connectors/pagerduty/accepted_sockets.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>
#include <set>
#include <utility>
#include <vector>

namespace ferry::pagerduty {
namespace {

// The local port of a bound IPv4 or IPv6 socket; -1 otherwise.
int LocalPort(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return -1;
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  }
  return -1;
}

// The inode of `fd` when it is a socket; 0 otherwise.
ino_t SocketInode(int fd) {
  struct stat info;
  if (fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode)) return 0;
  return info.st_ino;
}

// Whether `fd` is a connection accepted on `port`: its local port is
// `port` and it has a peer (the listening socket has none).
bool AcceptedOn(int fd, int port) {
  if (LocalPort(fd) != port) return false;
  sockaddr_storage peer{};
  socklen_t length = sizeof(peer);
  return getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) == 0;
}

// Every socket descriptor of this process, with its inode.
std::vector<std::pair<ino_t, int>> OpenSockets() {
  std::vector<std::pair<ino_t, int>> sockets;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return sockets;
  while (const dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    const ino_t inode = SocketInode(static_cast<int>(fd));
    if (inode != 0) sockets.emplace_back(inode, static_cast<int>(fd));
  }
  closedir(dir);
  return sockets;
}

}  // namespace

int AcceptedSockets::TakeNew(absl::Time now) {
  const auto sockets = OpenSockets();
  absl::MutexLock lock(&mu_);
  std::set<ino_t> present;
  int fresh = -1;
  for (const auto& [inode, fd] : sockets) {
    present.insert(inode);
    if (by_inode_.count(inode) > 0 || foreign_.count(inode) > 0) continue;
    if (AcceptedOn(fd, port_)) {
      by_inode_.emplace(inode, Entry{fd, now});
      fresh = fd;
    } else {
      foreign_.insert(inode);
    }
  }
  for (auto it = by_inode_.begin(); it != by_inode_.end();) {
    it = present.count(it->first) > 0 ? std::next(it) : by_inode_.erase(it);
  }
  for (auto it = foreign_.begin(); it != foreign_.end();) {
    it = present.count(*it) > 0 ? std::next(it) : foreign_.erase(it);
  }
  return fresh;
}

int AcceptedSockets::ShutDownAcceptedBefore(absl::Time cutoff) {
  absl::MutexLock lock(&mu_);
  int count = 0;
  for (auto it = by_inode_.begin(); it != by_inode_.end();) {
    Entry& entry = it->second;
    if (entry.shut_down || entry.accepted >= cutoff) {
      ++it;
      continue;
    }
    // Closed since it was recorded (its number may hold another socket
    // now): forgotten, never shut down.
    if (SocketInode(entry.fd) != it->first) {
      it = by_inode_.erase(it);
      continue;
    }
    shutdown(entry.fd, SHUT_RDWR);
    entry.shut_down = true;
    ++count;
    ++it;
  }
  return count;
}

}  // namespace ferry::pagerduty
