#include "engine/writer/failure_queue.h"

#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "engine/common/proto_time.h"
#include "engine/common/testing/log_capture.h"
#include "engine/writer/testing/writer_test_world.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/values.h"

namespace ferry::engine {
namespace {

using ::ferry::testing::Person;
using ::ferry::testing::TextValue;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ferry::v1::ChangeOutcome;

class FailureQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto world = WriterTestWorld::Make(CurrentTestDir());
    ASSERT_TRUE(world.ok()) << world.status();
    world_ = *std::move(world);
    queue_ = std::make_unique<FailureQueue>(
        world_->plan, world_->store.get(), world_->writers(),
        [this](const ferry::v1::WriteIntent& intent) { return Write(intent); },
        [this] { return now_; });
    ASSERT_TRUE(queue_->Load().ok());
  }

  // The retries' writes: records the intent, fails with the next of
  // `errors_` (OK when none is left).
  absl::StatusOr<FailureQueue::Retried> Write(const ferry::v1::WriteIntent& intent) {
    written_.push_back(intent);
    FailureQueue::Retried retried;
    if (!errors_.empty()) {
      retried.error = errors_.front();
      errors_.pop_front();
    }
    retried.outcome.set_change_id(intent.change().change_id());
    retried.outcome.set_kind(ChangeOutcome::KIND_WRITTEN);
    return retried;
  }

  // A change of a new source task titled `title`, as read.
  ferry::v1::ChangeEvent NewChange(const std::string& title) {
    auto entity = world_->src->Create("SRC", "Task", {{"Title", TextValue(title)}},
                                      Person("alice"));
    EXPECT_TRUE(entity.ok());
    return ChangeOf(*entity, "c-" + title);
  }
  static ferry::v1::ChangeEvent ChangeOf(const ferry::v1::Entity& entity,
                                         const std::string& change_id) {
    ferry::v1::ChangeEvent change;
    change.set_change_id(change_id);
    *change.mutable_entity() = entity;
    change.mutable_entity()->set_system("src");
    return change;
  }

  std::vector<ferry::v1::Failure> Open() {
    std::vector<ferry::v1::Failure> open;
    absl::Status listed = world_->store->ForEachFailure(
        "i", "", [&](const ferry::v1::Failure& failure) {
          if (failure.state() == ferry::v1::FAILURE_STATE_OPEN) open.push_back(failure);
          return true;
        });
    EXPECT_TRUE(listed.ok()) << listed;
    return open;
  }

  std::vector<std::string> WrittenIds() const {
    std::vector<std::string> ids;
    for (const auto& intent : written_) ids.push_back(intent.change().change_id());
    return ids;
  }

  // Parks a change of a new task titled `title` with `error`, and a second
  // change of it ("c-<title>-2") behind it; returns the first.
  ferry::v1::ChangeEvent ParkWithOneBehind(const std::string& title,
                                           const std::string& error) {
    const auto first = NewChange(title);
    EXPECT_TRUE(queue_->Park(first, error, 1).ok());
    ferry::v1::ChangeEvent second = first;
    second.set_change_id("c-" + title + "-2");
    EXPECT_TRUE(queue_->ParkBehind(second).ok());
    return first;
  }

  static EntityKey KeyOf(const ferry::v1::ChangeEvent& change) {
    return {"i", "src", change.entity().id()};
  }

  std::unique_ptr<WriterTestWorld> world_;
  std::unique_ptr<FailureQueue> queue_;
  std::deque<absl::Status> errors_;
  std::vector<ferry::v1::WriteIntent> written_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
};

TEST_F(FailureQueueTest, BackoffDoublesFromTheInitialUpToTheMaximum) {
  EXPECT_EQ(queue_->Backoff(1), absl::Seconds(10));
  EXPECT_EQ(queue_->Backoff(2), absl::Seconds(20));
  EXPECT_EQ(queue_->Backoff(3), absl::Seconds(40));
  EXPECT_EQ(queue_->Backoff(20), absl::Minutes(15));  // The default maximum.
}

TEST_F(FailureQueueTest, AParkedChangeIsRetriedWhenDueThenLeftForAPerson) {
  const auto change = NewChange("a");
  auto parked = queue_->Park(change, "503 Service Unavailable", 1);
  ASSERT_TRUE(parked.ok()) << parked.status();
  EXPECT_EQ(parked->kind(), ChangeOutcome::KIND_PARKED);
  EXPECT_THAT(parked->detail(), HasSubstr("503"));
  EXPECT_TRUE(queue_->HasOpen(KeyOf(change)));
  ASSERT_EQ(Open().size(), 1u);
  EXPECT_EQ(FromProto(Open()[0].next_attempt()), now_ + absl::Seconds(10));

  ASSERT_TRUE(queue_->RetryDue().ok());
  EXPECT_TRUE(written_.empty()) << "not due yet";

  now_ += absl::Seconds(11);
  errors_.push_back(absl::UnavailableError("503 again"));
  auto retried = queue_->RetryDue();
  ASSERT_TRUE(retried.ok()) << retried.status();
  ASSERT_EQ(retried->size(), 1u);
  EXPECT_EQ((*retried)[0].kind(), ChangeOutcome::KIND_PARKED);
  ASSERT_EQ(Open().size(), 1u);
  EXPECT_EQ(Open()[0].attempts(), 2);
  EXPECT_FALSE(Open()[0].has_next_attempt()) << "the 2 attempts ran out";

  now_ += absl::Hours(1);
  ASSERT_TRUE(queue_->RetryDue().ok());
  EXPECT_EQ(written_.size(), 1u) << "a person decides now";

  ferry::v1::FailureSelector selector;
  selector.add_ids(Open()[0].id());
  auto reprocessed = queue_->Reprocess(selector);
  ASSERT_TRUE(reprocessed.ok()) << reprocessed.status();
  EXPECT_EQ(reprocessed->affected(), 1);
  EXPECT_TRUE(reprocessed->still_failing().empty());
  EXPECT_TRUE(Open().empty());
  EXPECT_FALSE(queue_->HasOpen(KeyOf(change)));
}

TEST_F(FailureQueueTest, LaterChangesOfAnEntityWaitBehindItsFailureInOrder) {
  const auto first = NewChange("a");
  ASSERT_TRUE(queue_->Park(first, "503", 1).ok());
  ferry::v1::ChangeEvent second = first;
  second.set_change_id("c-a-2");
  auto behind = queue_->ParkBehind(second);
  ASSERT_TRUE(behind.ok() && behind->has_value());
  EXPECT_EQ((*behind)->kind(), ChangeOutcome::KIND_PARKED);
  EXPECT_THAT((*behind)->detail(), HasSubstr("waiting behind failure"));

  auto other = queue_->ParkBehind(NewChange("b"));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value()) << "another entity does not wait";

  now_ += absl::Seconds(11);
  ASSERT_TRUE(queue_->RetryDue().ok());
  EXPECT_THAT(WrittenIds(), ElementsAre("c-a", "c-a-2"));
  EXPECT_TRUE(Open().empty());
}

TEST_F(FailureQueueTest, ARetryMapsTheSourcesCurrentValues) {
  const auto change = NewChange("old title");
  ASSERT_TRUE(world_->src->SetFields(change.entity().id(),
                                     {{"Title", TextValue("new title")}},
                                     Person("bob")).ok());
  ASSERT_TRUE(queue_->Park(change, "503", 1).ok());
  now_ += absl::Seconds(11);
  ASSERT_TRUE(queue_->RetryDue().ok());
  ASSERT_EQ(written_.size(), 1u);
  ASSERT_EQ(written_[0].fields_size(), 1);
  EXPECT_EQ(written_[0].fields(0).target_field(), "Title");
  EXPECT_EQ(written_[0].fields(0).value().text(), "new title");
}

TEST_F(FailureQueueTest, SkippingAFailureLetsTheNextChangeOfItsEntityGo) {
  ParkWithOneBehind("a", "409 conflict");
  ASSERT_EQ(Open().size(), 2u);

  ferry::v1::FailureSelector selector;
  selector.add_ids(Open()[0].id());
  auto skipped = queue_->Skip(selector);
  ASSERT_TRUE(skipped.ok()) << skipped.status();
  EXPECT_EQ(skipped->affected(), 1);
  EXPECT_THAT(WrittenIds(), ElementsAre("c-a-2"));
  EXPECT_TRUE(Open().empty());
}

TEST_F(FailureQueueTest, ARetryRoundYieldsBetweenEntities) {
  ASSERT_TRUE(queue_->Park(NewChange("a"), "503", 1).ok());
  ASSERT_TRUE(queue_->Park(NewChange("b"), "503", 1).ok());
  now_ += absl::Seconds(11);
  ASSERT_TRUE(queue_->RetryDue([] { return true; }).ok());
  EXPECT_THAT(WrittenIds(), ElementsAre("c-a")) << "one entity, then yield";
  ASSERT_TRUE(queue_->RetryDue().ok());
  EXPECT_THAT(WrittenIds(), ElementsAre("c-a", "c-b"));
  EXPECT_TRUE(Open().empty());
}

TEST_F(FailureQueueTest, AChangeTheMappingStillRefusesIsParkedAgainWithItsReason) {
  auto entity = world_->src->Create(
      "SRC", "Task", {{"Title", TextValue("a")}, {"Status", ferry::testing::LookupName("weird")}},
      Person("alice"));
  ASSERT_TRUE(entity.ok());
  ASSERT_TRUE(queue_->Park(ChangeOf(*entity, "c-weird"), "no value map entry", 1).ok());
  now_ += absl::Seconds(11);
  auto retried = queue_->RetryDue();
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_TRUE(written_.empty()) << "nothing reaches the end system";
  ASSERT_EQ(Open().size(), 1u);
  EXPECT_EQ(Open()[0].attempts(), 2);
  EXPECT_THAT(Open()[0].error(), HasSubstr("weird"));
}

TEST_F(FailureQueueTest, EveryStepOfAFailureIsLoggedWithItsEntityAndFix) {
  log::LogCapture captured;
  auto change = NewChange("a");
  change.mutable_entity()->set_url("https://src.example/SRC-1");
  ASSERT_TRUE(queue_->Park(change, "503 Service Unavailable", 1).ok());
  auto parked = captured.Events("failure.parked");
  ASSERT_EQ(parked.size(), 1u);
  EXPECT_EQ(parked[0]["level"], "warn");
  EXPECT_EQ(parked[0]["integration"], "i");
  EXPECT_EQ(parked[0]["source_system"], "src");
  EXPECT_EQ(parked[0]["source_id"], change.entity().id());
  EXPECT_EQ(parked[0]["source_url"], "https://src.example/SRC-1");
  EXPECT_EQ(parked[0]["error"], "503 Service Unavailable");
  EXPECT_EQ(parked[0]["attempts"], 1);
  EXPECT_TRUE(parked[0].contains("next_attempt"));

  now_ += absl::Seconds(11);
  errors_.push_back(absl::UnavailableError("503 again"));
  ASSERT_TRUE(queue_->RetryDue().ok());
  auto exhausted = captured.Events("failure.exhausted");
  ASSERT_EQ(exhausted.size(), 1u) << "the policy allows 2 attempts";
  EXPECT_EQ(exhausted[0]["level"], "error");
  EXPECT_EQ(exhausted[0]["error"], "503 again");
  EXPECT_FALSE(exhausted[0].contains("next_attempt"));
  const std::string id = exhausted[0]["failure"];
  EXPECT_THAT(exhausted[0]["fix"].get<std::string>(),
              HasSubstr("ferryctl failures reprocess i --ids=" + id));

  ferry::v1::FailureSelector selector;
  selector.add_ids(id);
  ASSERT_TRUE(queue_->Reprocess(selector).ok());
  EXPECT_EQ(captured.Events("failure.reprocessed").size(), 1u);
  EXPECT_EQ(captured.Events("failure.resolved").size(), 1u);
}

TEST_F(FailureQueueTest, ARetryThatFailsWithAttemptsLeftIsLogged) {
  log::LogCapture captured;
  ParkWithOneBehind("a", "503");
  now_ += absl::Seconds(11);
  // The first goes through; the second, waiting with no attempt of its
  // own, fails its first.
  errors_.push_back(absl::OkStatus());
  errors_.push_back(absl::UnavailableError("429 Too Many Requests"));
  ASSERT_TRUE(queue_->RetryDue().ok());
  EXPECT_EQ(captured.Events("failure.resolved").size(), 1u);
  auto failed = captured.Events("failure.retry_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]["error"], "429 Too Many Requests");
  EXPECT_EQ(failed[0]["attempts"], 1);
  EXPECT_TRUE(failed[0].contains("next_attempt"));
  EXPECT_TRUE(captured.Events("failure.exhausted").empty());
}

TEST_F(FailureQueueTest, SkippingAndParkingBehindAreLogged) {
  log::LogCapture captured;
  ParkWithOneBehind("a", "409 conflict");
  auto parked = captured.Events("failure.parked");
  ASSERT_EQ(parked.size(), 2u);
  EXPECT_THAT(parked[1]["error"].get<std::string>(), HasSubstr("waiting behind failure"));

  ferry::v1::FailureSelector selector;
  selector.add_ids(Open()[0].id());
  ASSERT_TRUE(queue_->Skip(selector).ok());
  auto skipped = captured.Events("failure.skipped");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0]["failure"], selector.ids(0));
}

}  // namespace
}  // namespace ferry::engine
