#include "http/testing/local_server.h"

#include <limits>

#include "absl/strings/str_cat.h"

namespace ferry::http::testing {
namespace {

constexpr size_t kWorkers = 64;

}  // namespace

LocalServer::LocalServer()
    : server_(std::make_unique<httplib::Server>()), scheme_("http") {
  Configure();
}

LocalServer::LocalServer(const std::string& certificate_path,
                         const std::string& private_key_path)
    : server_(std::make_unique<httplib::SSLServer>(certificate_path.c_str(),
                                                   private_key_path.c_str())),
      scheme_("https") {
  Configure();
}

void LocalServer::Configure() {
  // Without TCP_NODELAY a keep-alive client waits on Nagle plus delayed ACK
  // for every response (37 instead of ~8,800 requests/s on loopback).
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(std::numeric_limits<size_t>::max());
  // Each open keep-alive connection holds a worker; cpp-httplib's default of
  // 8 would stall a ninth connection until another one closes.
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
  server_->set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response&) {
        absl::MutexLock lock(&mu_);
        ++requests_;
        connections_.insert(
            absl::StrCat(request.remote_addr, ":", request.remote_port));
        return httplib::Server::HandlerResponse::Unhandled;
      });
  port_ = server_->bind_to_any_port("127.0.0.1");
}

LocalServer::~LocalServer() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

void LocalServer::Start() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // The socket already listens; wait until stop() would also take effect.
  while (!server_->is_running()) std::this_thread::yield();
}

std::string LocalServer::Url(absl::string_view path) const {
  return absl::StrCat(scheme_, "://127.0.0.1:", port_, path);
}

int LocalServer::requests() {
  absl::MutexLock lock(&mu_);
  return requests_;
}

int LocalServer::connections() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(connections_.size());
}

}  // namespace ferry::http::testing
