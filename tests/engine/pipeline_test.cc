// The embedded pipeline end to end over the fake systems: reader,
// transformer and writer through in-process gRPC streams.
#include "engine/runtime/pipeline.h"

#include <cstdlib>
#include <filesystem>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/values.h"
#include "tests/support/fake_world.h"

namespace ferry::engine {
namespace {

using ::ferry::testing::LookupName;
using ::ferry::testing::Person;
using ::ferry::testing::TextValue;




class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_ = ferry::testing::FakeWorld::Fresh(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  // `criteria`: the integration's criteria query; empty for none.
  void StartPipeline(const std::string& criteria = "") {
    auto config = world_.Config();
    ASSERT_TRUE(config.ok()) << config.status();
    config->mutable_integrations(0)->mutable_criteria()->set_query(criteria);
    EmbeddedPipeline::Options options;
    options.state_dir = world_.dir + "/state";
    options.batch_size = 3;  // Several batches per poll.
    options.window = 2;
    auto pipeline = EmbeddedPipeline::Create(*config, options);
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    pipeline_ = *std::move(pipeline);
    pipeline_->Start();
  }

  // Waits until the target equals the source; returns what still differs.
  std::vector<std::string> WaitInStep() {
    std::vector<std::string> differences;
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      auto found = ferry::testing::Differences(world_);
      EXPECT_TRUE(found.ok()) << found.status();
      differences = *found;
      if (differences.empty()) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return differences;
  }

  fake::FakeSystem Source() { return *world_.Source(); }
  fake::FakeSystem Target() { return *world_.Target(); }

  ferry::testing::FakeWorld world_;
  std::unique_ptr<EmbeddedPipeline> pipeline_;
};

TEST_F(PipelineTest, SyncsEntitiesFieldsAndCommentsOneWay) {
  fake::FakeSystem src = Source();
  for (int i = 0; i < 10; ++i) {
    auto entity = src.Create("SRC", "Task",
                             {{"Title", TextValue("task " + std::to_string(i))},
                              {"Status", LookupName("open")}},
                             Person("alice"));
    ASSERT_TRUE(entity.ok());
    ASSERT_TRUE(src.AddComment(entity->id(), "note " + std::to_string(i),
                               Person("bob")).ok());
  }
  StartPipeline();
  EXPECT_THAT(WaitInStep(), ::testing::IsEmpty());

  // Later changes flow too, and nothing is duplicated.
  auto first = src.ChangedAfter("SRC", 0);
  ASSERT_TRUE(first.ok());
  const std::string id = first->front().entity().id();
  ASSERT_TRUE(src.SetFields(id, {{"Status", LookupName("done")}}, Person("alice")).ok());
  ASSERT_TRUE(src.AddComment(id, "fixed", Person("alice")).ok());
  EXPECT_THAT(WaitInStep(), ::testing::IsEmpty());
}

TEST_F(PipelineTest, RestartNeitherLosesNorRepeats) {
  fake::FakeSystem src = Source();
  ASSERT_TRUE(src.Create("SRC", "Task", {{"Title", TextValue("a")}}, Person("alice")).ok());
  StartPipeline();
  ASSERT_THAT(WaitInStep(), ::testing::IsEmpty());
  pipeline_.reset();

  ASSERT_TRUE(src.Create("SRC", "Task", {{"Title", TextValue("b")}}, Person("alice")).ok());
  StartPipeline();
  EXPECT_THAT(WaitInStep(), ::testing::IsEmpty());
  auto checkpoint = pipeline_->store()->GetCheckpoint({"sync", "src", "SRC"});
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_TRUE(checkpoint->has_value());
}

TEST_F(PipelineTest, BothWaysWithoutEcho) {
  world_.both_ways = true;
  fake::FakeSystem src = Source();
  fake::FakeSystem dst = Target();
  auto entity = src.Create("SRC", "Task", {{"Title", TextValue("a")}}, Person("alice"));
  ASSERT_TRUE(entity.ok());
  StartPipeline();
  ASSERT_THAT(WaitInStep(), ::testing::IsEmpty());

  // A person edits the copy: the change comes back to the source.
  auto copies = dst.ChangedAfter("DST", 0);
  ASSERT_TRUE(copies.ok() && copies->size() == 1u);
  const std::string copy_id = copies->front().entity().id();
  ASSERT_TRUE(dst.SetFields(copy_id, {{"Title", TextValue("renamed in dst")}},
                            Person("carol")).ok());
  ASSERT_TRUE(dst.AddComment(copy_id, "from dst", Person("carol")).ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  std::string title;
  int comments = 0;
  while (absl::Now() < deadline) {
    auto record = src.Get(entity->id());
    ASSERT_TRUE(record.ok());
    title = record->entity().fields().at("Title").text();
    comments = record->entity().comments_size();
    if (title == "renamed in dst" && comments == 1) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(title, "renamed in dst");
  EXPECT_EQ(comments, 1);

  // Quiet for a while: no echo ping-pong writes anything more.
  absl::SleepFor(absl::Milliseconds(500));
  const int64_t src_revision = src.Get(entity->id())->revision();
  const int64_t dst_revision = dst.Get(copy_id)->revision();
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(src.Get(entity->id())->revision(), src_revision);
  EXPECT_EQ(dst.Get(copy_id)->revision(), dst_revision);
  EXPECT_EQ(dst.Get(copy_id)->entity().comments_size(), 1);
}

TEST_F(PipelineTest, CriteriaSkipUnmatchedButKeepLinkedEntitiesInSync) {
  fake::FakeSystem src = Source();
  auto open = src.Create("SRC", "Task", {{"Title", TextValue("open one")},
                                         {"Status", LookupName("open")}},
                         Person("alice"));
  ASSERT_TRUE(open.ok());
  ASSERT_TRUE(src.Create("SRC", "Task", {{"Title", TextValue("done one")},
                                         {"Status", LookupName("done")}},
                         Person("alice")).ok());
  StartPipeline("Status = open");
  // Waits until the target holds copies titled `titles`; returns its titles.
  auto wait_for_titles = [&](const std::vector<std::string>& titles) {
    std::vector<std::string> found_titles;
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      auto copies = Target().ChangedAfter("DST", 0);
      EXPECT_TRUE(copies.ok());
      found_titles.clear();
      for (const auto& copy : *copies) {
        found_titles.push_back(copy.entity().fields().at("Title").text());
      }
      if (found_titles == titles) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return found_titles;
  };
  // Only the matching entity is copied.
  ASSERT_THAT(wait_for_titles({"open one"}), ::testing::ElementsAre("open one"));

  // Once linked, it stays in sync after it stops matching (OIM's default
  // storage semantics).
  ASSERT_TRUE(src.SetFields(open->id(), {{"Status", LookupName("done")},
                                         {"Title", TextValue("closed now")}},
                            Person("alice")).ok());
  EXPECT_THAT(wait_for_titles({"closed now"}), ::testing::ElementsAre("closed now"));
}

TEST_F(PipelineTest, EqualCommentIdsOnTheTwoSidesAreNotConfused) {
  world_.both_ways = true;
  fake::FakeSystem src = Source();
  fake::FakeSystem dst = Target();
  auto entity = src.Create("SRC", "Task", {{"Title", TextValue("a")}}, Person("alice"));
  ASSERT_TRUE(entity.ok());
  ASSERT_TRUE(src.AddComment(entity->id(), "first", Person("alice")).ok());
  StartPipeline();
  ASSERT_THAT(WaitInStep(), ::testing::IsEmpty());
  // An unmapped field moves the source's id counter ahead of the target's,
  // so the next source comment's copy gets a lower id in the target than
  // the comment itself.
  ASSERT_TRUE(src.SetFields(entity->id(), {{"Priority", LookupName("high")}},
                            Person("alice")).ok());
  ASSERT_TRUE(src.AddComment(entity->id(), "second", Person("alice")).ok());
  ASSERT_THAT(WaitInStep(), ::testing::IsEmpty());

  // A person comments in the target; its id equals the second source
  // comment's id, which Ferry has already handled on the other side.
  auto copies = dst.ChangedAfter("DST", 0);
  ASSERT_TRUE(copies.ok() && copies->size() == 1u);
  const std::string copy_id = copies->front().entity().id();
  auto original = src.Get(entity->id());
  ASSERT_TRUE(original.ok());
  const std::string second_id = original->entity().comments(1).id();
  ASSERT_TRUE(dst.AddComment(copy_id, "third, from dst", Person("carol")).ok());
  auto copy = dst.Get(copy_id);
  ASSERT_TRUE(copy.ok());
  ASSERT_EQ(copy->entity().comments(2).id(), second_id)
      << "the scenario needs equal ids on the two sides";

  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  int comments = 0;
  while (absl::Now() < deadline) {
    comments = src.Get(entity->id())->entity().comments_size();
    if (comments == 3) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(comments, 3);
}

}  // namespace
}  // namespace ferry::engine
