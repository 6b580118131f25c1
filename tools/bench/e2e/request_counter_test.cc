#include "tools/bench/e2e/request_counter.h"

#include "gtest/gtest.h"
#include "httplib.h"

namespace ferry::bench {
namespace {

TEST(RequestCounterTest, CountsApiRequestsByShapeAndLeavesAdminAndPersonOut) {
  simcore::SimServer server({});
  server.http().Get(R"(/rest/api/2/issue/([^/]+))",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.set_content("{}", "application/json");
                    });
  RequestCounter counter;
  counter.Attach(server);
  auto port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status();
  httplib::Client client("127.0.0.1", *port);
  ASSERT_TRUE(client.Get("/rest/api/2/issue/OPS-1"));
  ASSERT_TRUE(client.Get("/rest/api/2/issue/10042"));
  ASSERT_TRUE(client.Get("/rest/api/2/nothing/here"));  // 404
  ASSERT_TRUE(client.Get("/admin/clock"));
  ASSERT_TRUE(client.Get("/rest/api/2/issue/OPS-1", {{RequestCounter::kPersonHeader, "alice"}}));
  server.Stop();  // every answer sent, every request logged

  const std::map<std::string, int64_t> expected = {
      {"GET /rest/api/2/issue/{id}", 2},
      {"GET /rest/api/2/nothing/here -> 404", 1},
  };
  EXPECT_EQ(counter.ByShape(), expected);
  EXPECT_EQ(counter.Total(), 3);
  counter.Reset();
  EXPECT_EQ(counter.Total(), 0);
}

}  // namespace
}  // namespace ferry::bench
