#include "connectors/pagerduty/pd_identity.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/barrier.h"
#include "connectors/pagerduty/testing/pd_call_counter.h"
#include "connectors/pagerduty/testing/pd_sim_test_base.h"
#include "gtest/gtest.h"
#include "http/json_fields.h"

namespace ferry::pagerduty {
namespace {

class PdIdentityTest : public PdSimTest {
 protected:
  // Closes the kept-alive connections before the simulator stops.
  void TearDown() override {
    api_.reset();
    PdSimTest::TearDown();
  }

  CallCounter calls_;
  std::shared_ptr<const PdApi> api_;
};

// The readers of a system start together; each used to look the user up.
TEST_F(PdIdentityTest, ConcurrentFirstCallsMakeOneLookUp) {
  // An account token: /users/me answers 400, then /users finds the From user.
  api_ = MakeApi("account-full", "ferry-bot@example.com", &calls_);
  PdIdentity identity(api_);
  constexpr int kReaders = 8;
  absl::Barrier start(kReaders);
  std::vector<std::string> ids(kReaders);
  std::vector<std::thread> readers;
  for (int i = 0; i < kReaders; ++i) {
    readers.emplace_back([&, i] {
      start.Block();
      auto me = identity.Me();
      if (me.ok()) ids[i] = http::StringOr(*me, "id");
    });
  }
  for (auto& reader : readers) reader.join();
  for (const std::string& id : ids) EXPECT_EQ(id, "PBOT001");
  EXPECT_EQ(calls_.Take(), 2);
}

}  // namespace
}  // namespace ferry::pagerduty
