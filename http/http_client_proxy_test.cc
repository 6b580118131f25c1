// Proxy settings come from the environment, as libcurl reads them. This file
// changes the process environment, so it is its own test binary.
#include <cstdlib>
#include <memory>
#include <string>

#include "http/http_client.h"
#include "http/testing/local_server.h"
#include "gtest/gtest.h"

namespace ferry::http {
namespace {

using ::ferry::http::testing::LocalServer;

// Nothing listens on port 1: a request sent through this proxy fails.
constexpr char kBogusProxy[] = "http://127.0.0.1:1";

void SetProxyEnvironment(const std::string& http_proxy, const char* no_proxy) {
  ::setenv("http_proxy", http_proxy.c_str(), 1);
  ::setenv("HTTPS_PROXY", kBogusProxy, 1);
  ::setenv("https_proxy", kBogusProxy, 1);
  if (no_proxy == nullptr) {
    ::unsetenv("NO_PROXY");
    ::unsetenv("no_proxy");
  } else {
    ::setenv("NO_PROXY", no_proxy, 1);
    ::setenv("no_proxy", no_proxy, 1);
  }
}

class ProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    target_.server().Get(
        "/who", [](const httplib::Request&, httplib::Response& response) {
          response.set_content("direct", "text/plain");
        });
    target_.Start();
    // A forward proxy receives the absolute URL as the request target.
    proxy_.server().Get(
        ".*", [](const httplib::Request&, httplib::Response& response) {
          response.set_content("via proxy", "text/plain");
        });
    proxy_.Start();
  }

  void TearDown() override {
    for (const char* name :
         {"http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"}) {
      ::unsetenv(name);
    }
  }

  absl::StatusOr<HttpResponse> GetWho() {
    HttpClientOptions options;
    options.system = "jira";
    auto client = HttpClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    HttpRequest request;
    request.url = target_.Url("/who");
    return (*client)->Send(request);
  }

  LocalServer target_;
  LocalServer proxy_;
};

TEST_F(ProxyTest, ProxyFromTheEnvironmentIsUsed) {
  SetProxyEnvironment(proxy_.Url(""), nullptr);
  const auto response = GetWho();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "via proxy");
  EXPECT_EQ(proxy_.requests(), 1);
  EXPECT_EQ(target_.requests(), 0);
}

TEST_F(ProxyTest, NoProxyLoopbackBypassesABogusProxy) {
  SetProxyEnvironment(kBogusProxy, "localhost,127.0.0.1");
  const auto response = GetWho();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "direct");
  EXPECT_EQ(target_.requests(), 1);
}

}  // namespace
}  // namespace ferry::http
