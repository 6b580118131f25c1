#include "engine/connector/reader_wakeups.h"

#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

TEST(ReaderWakeupsTest, WakesOnlyTheNamedSystemsSubscribers) {
  ReaderWakeups wakeups;
  int pd = 0, jira = 0;
  auto a = wakeups.Subscribe("pd", [&] { ++pd; });
  auto b = wakeups.Subscribe("jira", [&] { ++jira; });
  wakeups.WakerFor("pd")();
  EXPECT_EQ(pd, 1);
  EXPECT_EQ(jira, 0);
}

TEST(ReaderWakeupsTest, EndedSubscriptionsAreNotCalled) {
  ReaderWakeups wakeups;
  int calls = 0;
  auto waker = wakeups.WakerFor("pd");
  waker();  // No subscriber yet: nothing happens.
  {
    auto subscription = wakeups.Subscribe("pd", [&] { ++calls; });
    waker();
  }
  waker();
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace ferry::engine
