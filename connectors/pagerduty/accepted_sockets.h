#pragma once

#include <sys/types.h>

#include <map>
#include <set>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ferry::pagerduty {

// The connections a server of this process accepted on one TCP port, found
// among the process's open descriptors (Linux: /proc/self/fd), with the
// time each was first seen.
//
// Why: cpp-httplib 0.11.4 never shows its owner an accepted socket (its
// task queue receives a closure), yet the webhook receiver must cut a
// connection that has lasted too long and refuse one beyond its cap. A
// socket is told apart by its inode, so a descriptor number reused for
// another socket is never mistaken for the old one.
//
// Thread-safe.
class AcceptedSockets {
 public:
  explicit AcceptedSockets(int port) : port_(port) {}

  // Records the connections accepted since the last call as accepted at
  // `now`, forgets those closed since, and returns the descriptor of one
  // new connection, or -1 when there is none. Called right after each
  // accept (the accept loop is one thread), so exactly one is new.
  int TakeNew(absl::Time now);

  // Shuts down (both ways; its owner then closes it) every recorded
  // connection accepted before `cutoff`, once; returns how many.
  int ShutDownAcceptedBefore(absl::Time cutoff);

 private:
  struct Entry {
    int fd;
    absl::Time accepted;
    bool shut_down = false;
  };

  const int port_;
  absl::Mutex mu_;
  std::map<ino_t, Entry> by_inode_ ABSL_GUARDED_BY(mu_);
  // Sockets found not to be connections on `port_` (a socket's inode and
  // local port stay its own for its life), so a scan asks each once.
  std::set<ino_t> foreign_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::pagerduty
