#include "tools/ferryctl/connection_errors.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/control.grpc.pb.h"

namespace ferry::ctl {
namespace {

using ::testing::HasSubstr;

// A local port nothing listens on: bound by the OS, then released.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

TEST(DescribeCallErrorTest, ARefusedConnectionNamesServerAndWhereTheAddressComesFrom) {
  const std::string server = "127.0.0.1:" + std::to_string(ClosedPort());
  auto stub = ferry::v1::Control::NewStub(
      grpc::CreateChannel(server, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  ferry::v1::GetStatusResponse response;
  const grpc::Status status = stub->GetStatus(&context, {}, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();

  const std::string described = DescribeCallError(status, server, "FERRY_CONTROL_TOKEN");
  EXPECT_THAT(described, HasSubstr("cannot reach ferryd at " + server));
  EXPECT_THAT(described, HasSubstr(status.error_message()));
  EXPECT_THAT(described, HasSubstr("--server=HOST:PORT"));
  EXPECT_THAT(described, HasSubstr("server.control_listen"));
}

TEST(DescribeCallErrorTest, AMissingTokenNamesTheVariable) {
  const std::string described = DescribeCallError(
      grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "missing bearer token"),
      "10.0.0.5:7400", "OPS_TOKEN");
  EXPECT_THAT(described, HasSubstr("missing bearer token"));
  EXPECT_THAT(described, HasSubstr("environment variable OPS_TOKEN"));
  EXPECT_THAT(described, HasSubstr("--token_env"));
}

TEST(DescribeCallErrorTest, FerrydsOwnAnswersAreShownAsTheyAre) {
  EXPECT_EQ(DescribeCallError(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                           "no integration 'x': use one of a, b"),
                              "127.0.0.1:7400", "FERRY_CONTROL_TOKEN"),
            "no integration 'x': use one of a, b");
}

}  // namespace
}  // namespace ferry::ctl
