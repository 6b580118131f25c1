#include "engine/metrics/metrics_endpoint.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ServeMetricsTest, ServesOnAFreePort) {
  auto exposer = ServeMetrics("127.0.0.1:0");
  ASSERT_TRUE(exposer.ok()) << exposer.status();
  EXPECT_GT((*exposer)->GetListeningPorts().front(), 0);
}

TEST(ServeMetricsTest, APortInUseIsNamedWithTheFix) {
  auto first = ServeMetrics("127.0.0.1:0");
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string taken =
      "127.0.0.1:" + std::to_string((*first)->GetListeningPorts().front());
  auto second = ServeMetrics(taken);
  ASSERT_FALSE(second.ok());
  const std::string message(second.status().message());
  EXPECT_THAT(message, HasSubstr(taken + " is already in use"));
  EXPECT_THAT(message, HasSubstr("server.metrics_listen"));
  EXPECT_THAT(message, HasSubstr("--metrics_listen"));
  EXPECT_THAT(message, Not(HasSubstr("CivetServer")));
}

TEST(ServeMetricsTest, AHostNotOfThisMachineIsNamed) {
  // 192.0.2.0/24 is TEST-NET-1: never an address of this machine.
  auto served = ServeMetrics("192.0.2.1:9464");
  ASSERT_FALSE(served.ok());
  EXPECT_THAT(std::string(served.status().message()),
              HasSubstr("192.0.2.1 is not an address of this machine"));
}

}  // namespace
}  // namespace ferry::engine
