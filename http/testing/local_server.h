#pragma once

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "httplib.h"

namespace ferry::http::testing {

// A cpp-httplib server on 127.0.0.1 and a port the OS picks, for tests and
// benchmarks of the HTTP client, speaking HTTP or (given a certificate and
// key) HTTPS. It counts requests and distinct client
// connections (by client address and port), so keep-alive reuse can be
// checked. TCP_NODELAY is on, keep-alive connections are not capped, and up
// to 64 connections are served at once.
//
// Usage: register handlers on server(), then Start(). The destructor stops
// the server and joins its thread; handlers still running are waited for.
// Counters are thread-safe.
class LocalServer {
 public:
  // Plain HTTP.
  LocalServer();
  // HTTPS with the PEM certificate chain and private key at these paths.
  LocalServer(const std::string& certificate_path,
              const std::string& private_key_path);
  ~LocalServer();

  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  // For registering handlers; only before Start().
  httplib::Server& server() { return *server_; }

  // Starts serving and returns once the server accepts connections.
  void Start();

  int port() const { return port_; }

  // "http://127.0.0.1:<port><path>" (https when serving TLS).
  std::string Url(absl::string_view path) const;

  int requests();
  int connections();

 private:
  void Configure();

  std::unique_ptr<httplib::Server> server_;
  const char* scheme_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  int requests_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_set<std::string> connections_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::http::testing
