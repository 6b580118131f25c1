#include "tools/simcore/sim_server.h"

#include <chrono>
#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/simcore/connection_abort.h"
#include "tools/simcore/core_admin_routes.h"

namespace ferry::simcore {
namespace {

// Set by the pre-routing hook when this request's response must be cut;
// read by the post-routing hook on the same worker thread.
thread_local bool truncate_this_response = false;

constexpr char kMalformedBody[] = "{\"error\": {\"message\": \"Internal";

// cpp-httplib serves a connection on one pool thread for as long as the
// client keeps it alive, and its default pool has 8 threads: a ninth
// client (ferryd keeps one connection per reader and writer) waited for
// one to close, so measurements measured the simulator. Sized for every
// realistic client count; the threads are idle until a client connects.
constexpr size_t kServingThreads = 128;

std::unique_ptr<httplib::Server> MakeServer(const SimServerOptions& options) {
  if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
    return std::make_unique<httplib::Server>();
  }
  return std::make_unique<httplib::SSLServer>(options.tls_cert_file.c_str(),
                                              options.tls_key_file.c_str());
}

}  // namespace

SimServer::SimServer(SimServerOptions options)
    : options_(std::move(options)),
      http_(MakeServer(options_)),
      faults_(options_.fault_seed),
      rate_limiter_(&clock_, options_.rate_limit) {
  http_->set_tcp_nodelay(true);
  http_->new_task_queue = [] { return new httplib::ThreadPool(kServingThreads); };
  InstallFaultHooks();
  RegisterCoreAdminRoutes(*http_, clock_, faults_, rate_limiter_);
}

SimServer::~SimServer() { Stop(); }

void SimServer::SetRequestObserver(std::function<void(const httplib::Request&)> observer) {
  absl::MutexLock lock(&observer_mu_);
  observer_ = std::move(observer);
}

void SimServer::Observe(const httplib::Request& request) {
  std::function<void(const httplib::Request&)> observer;
  {
    absl::MutexLock lock(&observer_mu_);
    observer = observer_;
  }
  if (observer) observer(request);
}

void SimServer::InstallFaultHooks() {
  http_->set_pre_routing_handler([this](const httplib::Request& req,
                                       httplib::Response& res) {
    truncate_this_response = false;
    Observe(req);
    if (absl::StartsWith(req.path, kAdminPrefix)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    std::optional<FaultRule> fault = faults_.Pick(req.method, req.path);
    if (!fault) return httplib::Server::HandlerResponse::Unhandled;
    switch (fault->kind) {
      case FaultKind::kLatency:
        absl::SleepFor(fault->latency);
        return httplib::Server::HandlerResponse::Unhandled;
      case FaultKind::kTruncate:
        truncate_this_response = true;
        return httplib::Server::HandlerResponse::Unhandled;
      case FaultKind::kStatus:
        res.status = fault->status;
        if (!fault->body.empty()) res.set_content(fault->body, fault->content_type);
        return httplib::Server::HandlerResponse::Handled;
      case FaultKind::kMalformed:
        res.status = 200;
        res.set_content(fault->body.empty() ? kMalformedBody : fault->body,
                        fault->content_type);
        return httplib::Server::HandlerResponse::Handled;
      case FaultKind::kDrop:
        AbortConnection(req.remote_addr, req.remote_port, port_);
        res.status = 500;
        return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_->set_post_routing_handler([](const httplib::Request&,
                                    httplib::Response& res) {
    if (!truncate_this_response) return;
    truncate_this_response = false;
    // Announce the whole body, send half of it, then fail the write so that
    // cpp-httplib closes the connection mid-body.
    std::string body = std::move(res.body);
    res.body.clear();
    const size_t full = std::max<size_t>(body.size(), 2);
    if (!res.has_header("Content-Length")) {
      res.set_header("Content-Length", std::to_string(full));
    }
    res.set_content_provider(
        full, res.get_header_value("Content-Type"),
        [body](size_t, size_t, httplib::DataSink& sink) {
          sink.write(body.data(), body.size() / 2);
          return false;
        });
  });
}

absl::StatusOr<int> SimServer::Start() {
  if (!http_->is_valid()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot load the TLS certificate ", options_.tls_cert_file,
        " or key ", options_.tls_key_file,
        "; give PEM files, the key unencrypted, matching the certificate"));
  }
  port_ = http_->bind_to_any_port(options_.host);
  if (port_ <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot bind ", options_.host,
                     " on an OS-chosen port; check the --host address"));
  }
  if (!options_.port_file.empty()) {
    std::ofstream out(options_.port_file, std::ios::trunc);
    out << port_ << "\n";
    if (!out.flush()) {
      http_->stop();
      return absl::InternalError(absl::StrCat(
          "cannot write the port file ", options_.port_file,
          "; check that its directory exists and is writable"));
    }
  }
  thread_ = std::thread([this] {
    http_->listen_after_bind();
    listen_returned_ = true;
  });
  // httplib's stop() does nothing until the thread has begun to listen, so
  // a Stop() right after Start() would leave the join hanging: return only
  // once it listens (or has already given up).
  while (!http_->is_running() && !listen_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port_;
}

void SimServer::Stop() {
  http_->stop();
  if (thread_.joinable()) thread_.join();
}

void SimServer::Wait() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace ferry::simcore
