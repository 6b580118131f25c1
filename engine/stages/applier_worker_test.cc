#include "engine/stages/applier_worker.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "engine/writer/testing/writer_test_world.h"
#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

class ApplierWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto world = WriterTestWorld::Make(CurrentTestDir());
    ASSERT_TRUE(world.ok()) << world.status();
    world_ = *std::move(world);
    applier_ = std::make_unique<ChangeApplier>(world_->plan, world_->store.get(),
                                               world_->writers());
    worker_ = std::make_unique<ApplierWorker>("i", applier_.get(),
                                              absl::Milliseconds(5));
  }

  std::unique_ptr<WriterTestWorld> world_;
  std::unique_ptr<ChangeApplier> applier_;
  std::unique_ptr<ApplierWorker> worker_;
};

TEST_F(ApplierWorkerTest, RunReturnsTheWorksStatusOnceItHasRun) {
  bool ran = false;
  absl::Status status = worker_->Run([&](ChangeApplier& applier) {
    ran = &applier == applier_.get();
    return absl::InvalidArgumentError("the work's own error");
  });
  EXPECT_TRUE(ran);
  EXPECT_EQ(status.message(), "the work's own error");
}

TEST_F(ApplierWorkerTest, AllWorkRunsOnOneThreadOneAtATime) {
  absl::Mutex mu;
  std::vector<std::thread::id> threads;
  int running = 0;
  int most_running = 0;
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&] {
      for (int j = 0; j < 20; ++j) {
        ASSERT_TRUE(worker_->Run([&](ChangeApplier&) {
          {
            absl::MutexLock lock(&mu);
            threads.push_back(std::this_thread::get_id());
            most_running = std::max(most_running, ++running);
          }
          absl::SleepFor(absl::Microseconds(100));
          absl::MutexLock lock(&mu);
          --running;
          return absl::OkStatus();
        }).ok());
      }
    });
  }
  for (auto& caller : callers) caller.join();
  absl::MutexLock lock(&mu);
  ASSERT_EQ(threads.size(), 80u);
  for (const auto& id : threads) EXPECT_EQ(id, threads.front());
  EXPECT_NE(threads.front(), std::this_thread::get_id());
  EXPECT_EQ(most_running, 1);
}

}  // namespace
}  // namespace ferry::engine
