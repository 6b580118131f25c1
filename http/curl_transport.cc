#include "http/curl_transport.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ferry::http {
namespace {

constexpr char kUserAgent[] = "Ferry/1.0 (+libcurl)";

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void Append(Slist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown != nullptr) {
    list.release();
    list.reset(grown);
  }
}

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Collects the header fields of the last response; a new status line (after
// a 100 Continue or a proxy's CONNECT reply) starts over.
size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<HttpHeaders*>(user);
  const absl::string_view line =
      absl::StripTrailingAsciiWhitespace(absl::string_view(data, size * count));
  if (absl::StartsWith(line, "HTTP/")) {
    *headers = HttpHeaders();
  } else if (const size_t colon = line.find(':');
             colon != absl::string_view::npos) {
    headers->Add(
        std::string(line.substr(0, colon)),
        std::string(absl::StripLeadingAsciiWhitespace(line.substr(colon + 1))));
  }
  return size * count;
}

absl::Status TransferError(CURLcode code, const char* detail) {
  const std::string message = absl::StrCat(
      curl_easy_strerror(code), detail[0] != '\0' ? ": " : "", detail);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(message);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return absl::InvalidArgumentError(message);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER:
      return absl::FailedPreconditionError(absl::StrCat(
          message,
          " (TLS refused; if the server uses a private CA, set the CA "
          "bundle path to a PEM file that contains it)"));
    default:
      return absl::UnavailableError(message);
  }
}

// Options that are the same for every request of one transport.
void SetConnectionOptions(CURL* curl, const TransportOptions& options) {
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_USERAGENT, kUserAgent);
  if (options.accept_gzip) {
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
  }
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(
      curl, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options.connect_timeout)));
  curl_easy_setopt(
      curl, CURLOPT_TIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options.request_timeout)));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_bundle_path.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_bundle_path.c_str());
  }
}

// Header lines for `request`: the caller's, a JSON Content-Type for a body
// that names none (libcurl would say application/x-www-form-urlencoded),
// Authorization, and an empty Expect so bodies over 1 KB skip the
// "100-continue" round trip.
Slist HeaderLines(const HttpRequest& request, absl::string_view authorization) {
  Slist lines;
  for (const auto& [name, value] : request.headers.fields()) {
    Append(lines, absl::StrCat(name, ": ", value));
  }
  if (!request.body.empty() && !request.headers.Has("Content-Type")) {
    Append(lines, "Content-Type: application/json");
  }
  if (!authorization.empty()) {
    Append(lines, absl::StrCat("Authorization: ", authorization));
  }
  Append(lines, "Expect:");
  return lines;
}

void SetMethodAndBody(CURL* curl, const HttpRequest& request) {
  switch (request.method) {
    case HttpMethod::kGet:
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
      return;
    case HttpMethod::kHead:
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
      return;
    case HttpMethod::kPost:
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      break;
    case HttpMethod::kPut:
    case HttpMethod::kPatch:
    case HttpMethod::kDelete:
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST,
                       std::string(HttpMethodName(request.method)).c_str());
      break;
  }
  if (request.method == HttpMethod::kPost || !request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  }
}

}  // namespace

CurlTransport::CurlTransport(const TransportOptions& options)
    : options_(options) {
  GlobalInitOnce();
}

CurlTransport::~CurlTransport() {
  absl::MutexLock lock(&mu_);
  for (void* handle : idle_handles_) curl_easy_cleanup(handle);
}

void* CurlTransport::AcquireHandle() {
  {
    absl::MutexLock lock(&mu_);
    if (!idle_handles_.empty()) {
      void* handle = idle_handles_.back();
      idle_handles_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void CurlTransport::ReleaseHandle(void* handle) {
  {
    absl::MutexLock lock(&mu_);
    if (static_cast<int>(idle_handles_.size()) < options_.max_idle_handles) {
      idle_handles_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(handle);
}

absl::StatusOr<HttpResponse> CurlTransport::Perform(
    const HttpRequest& request, absl::string_view authorization) {
  CURL* curl = AcquireHandle();
  if (curl == nullptr) {
    return absl::ResourceExhaustedError("libcurl could not create a handle");
  }
  // Reset clears the previous request's options but keeps the handle's
  // live connections, which is what makes keep-alive work.
  curl_easy_reset(curl);

  const Slist header_list = HeaderLines(request, authorization);

  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};
  SetConnectionOptions(curl, options_);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &WriteHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  SetMethodAndBody(curl, request);

  const CURLcode code = curl_easy_perform(curl);
  long status_code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status_code);
  // The handle must not keep pointers into this frame once it is idle.
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  ReleaseHandle(curl);

  if (code != CURLE_OK) return TransferError(code, error);
  response.status_code = static_cast<int>(status_code);
  return response;
}

}  // namespace ferry::http
