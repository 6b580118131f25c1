#include "engine/metrics/metrics_endpoint.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace ferry::engine {
namespace {

constexpr absl::string_view kChooseAnother =
    "set server.metrics_listen in the config, or --metrics_listen, to a free "
    "address such as 127.0.0.1:9465";

// Why `listen` cannot be bound, in words with the fix; empty when it can
// be (so the failure was something else) or cannot be told.
std::string WhyNotBindable(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return absl::StrCat("'", listen, "' is not host:port: write it as 127.0.0.1:9464");
  }
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (const int resolved = getaddrinfo(host.empty() ? nullptr : host.c_str(),
                                       port.c_str(), &hints, &found);
      resolved != 0) {
    return absl::StrCat("'", listen, "' cannot be resolved (", gai_strerror(resolved),
                        "): ", kChooseAnother);
  }
  int error = 0;
  for (addrinfo* address = found; address != nullptr; address = address->ai_next) {
    const int fd = socket(address->ai_family, address->ai_socktype, address->ai_protocol);
    if (fd < 0) continue;
    const int reuse = 1;  // As the server sets it: a closed port's TIME_WAIT is no clash.
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
    error = bind(fd, address->ai_addr, address->ai_addrlen) == 0 ? 0 : errno;
    close(fd);
    if (error == 0) break;
  }
  freeaddrinfo(found);
  switch (error) {
    case 0:
      return "";
    case EADDRINUSE:
      return absl::StrCat(listen, " is already in use (another ferryd, or another "
                          "program, serves on it): stop it, or ", kChooseAnother);
    case EACCES:
      return absl::StrCat("port ", port, " needs privileges this process lacks: ",
                          kChooseAnother);
    case EADDRNOTAVAIL:
      return absl::StrCat(host, " is not an address of this machine: ", kChooseAnother);
    default:
      return absl::StrCat(std::strerror(error), ": ", kChooseAnother);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<prometheus::Exposer>> ServeMetrics(
    const std::string& listen) {
  try {
    return std::make_unique<prometheus::Exposer>(listen);
  } catch (const std::exception& e) {
    std::string why = WhyNotBindable(listen);
    if (why.empty()) why = absl::StrCat(e.what(), ": ", kChooseAnother);
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", listen, ": ", why));
  }
}

}  // namespace ferry::engine
