#include "engine/writer/write_steps.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "engine/writer/testing/writer_test_world.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/values.h"

namespace ferry::engine {
namespace {

using ::ferry::testing::Person;
using ::ferry::testing::TextValue;
using ::testing::HasSubstr;
using Skip = WriteSteps::Result::Skip;

class WriteStepsTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(""); }

  void Build(const std::string& extra) {
    steps_.reset();
    journal_.reset();
    world_.reset();
    auto world = WriterTestWorld::Make(CurrentTestDir(), extra);
    ASSERT_TRUE(world.ok()) << world.status();
    world_ = *std::move(world);
    auto clock = [] { return absl::FromUnixSeconds(1800000000); };
    journal_ = std::make_unique<WriteJournal>("i", world_->store.get(), clock);
    ASSERT_TRUE(journal_->Load().ok());
    steps_ = std::make_unique<WriteSteps>(world_->plan, journal_.get(),
                                          world_->writers(), clock);
  }

  // The mapped change of a new source task titled `title`.
  ferry::v1::WriteIntent NewTask(const std::string& title) {
    EXPECT_TRUE(world_->src->Create("SRC", "Task", {{"Title", TextValue(title)}},
                                    Person("alice")).ok());
    auto intents = world_->Intents();
    EXPECT_TRUE(intents.ok() && !intents->empty());
    return intents->back();
  }

  WriteSteps::Result Write(const ferry::v1::WriteIntent& intent) {
    auto result = steps_->Write(intent);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *std::move(result) : WriteSteps::Result();
  }

  size_t Targets() {
    auto all = world_->dst->ChangedAfter("DST", 0);
    EXPECT_TRUE(all.ok());
    return all->size();
  }

  std::unique_ptr<WriterTestWorld> world_;
  std::unique_ptr<WriteJournal> journal_;
  std::unique_ptr<WriteSteps> steps_;
};

TEST_F(WriteStepsTest, CreatesTheTargetAndLinksIt) {
  const auto intent = NewTask("DB down");
  const WriteSteps::Result result = Write(intent);
  EXPECT_TRUE(result.error.ok()) << result.error;
  EXPECT_TRUE(result.wrote);
  EXPECT_EQ(result.skip, Skip::kNone);
  EXPECT_FALSE(result.target.id.empty());
  EXPECT_EQ(Targets(), 1u);
  auto link = journal_->FindLink({"i", "src", intent.change().entity().id()});
  ASSERT_TRUE(link.ok() && link->has_value());
  EXPECT_EQ((*link)->target_id(), result.target.id);
  EXPECT_EQ((*link)->last_synced().at("dst/Title").text(), "DB down");
}

TEST_F(WriteStepsTest, AnUnlinkedEntityCreatedBeforeTheStartGetsNoCounterpart) {
  auto intent = NewTask("old incident");
  intent.mutable_change()->set_created_before_start(true);
  const WriteSteps::Result result = Write(intent);
  EXPECT_TRUE(result.error.ok()) << result.error;
  EXPECT_FALSE(result.wrote);
  EXPECT_EQ(result.skip, Skip::kBeforeStart);
  EXPECT_THAT(result.skip_reason, HasSubstr("created before the integration's start"));
  EXPECT_FALSE(steps_->CreatesWithoutLookup(intent));
  EXPECT_EQ(Targets(), 0u);
}

TEST_F(WriteStepsTest, ALinkedEntityCreatedBeforeTheStartKeepsSyncing) {
  auto intent = NewTask("linked");
  ASSERT_TRUE(Write(intent).wrote);
  // Linked since (by a target lookup, or before start_time moved later).
  ASSERT_TRUE(world_->src->SetFields(intent.change().entity().id(),
                                     {{"Title", TextValue("renamed")}},
                                     Person("bob")).ok());
  auto intents = world_->Intents();
  ASSERT_TRUE(intents.ok() && !intents->empty());
  ferry::v1::WriteIntent update = intents->back();
  update.mutable_change()->set_created_before_start(true);
  const WriteSteps::Result result = Write(update);
  EXPECT_EQ(result.skip, Skip::kNone);
  EXPECT_TRUE(result.wrote);
}

TEST_F(WriteStepsTest, TheSameChangeAgainWritesNothingAndSaysWhy) {
  const auto intent = NewTask("DB down");
  ASSERT_TRUE(Write(intent).wrote);
  const WriteSteps::Result again = Write(intent);
  EXPECT_TRUE(again.error.ok());
  EXPECT_FALSE(again.wrote);
  EXPECT_EQ(again.skip, Skip::kNone);
  ASSERT_FALSE(again.unwritten.empty());
  EXPECT_THAT(again.unwritten[0], HasSubstr("Title"));
  EXPECT_EQ(Targets(), 1u);
}

// The source task `intent` created, retitled `title` by bob: its change.
ferry::v1::WriteIntent Retitled(WriterTestWorld& world, const ferry::v1::WriteIntent& intent,
                                const std::string& title) {
  EXPECT_TRUE(world.src->SetFields(intent.change().entity().id(),
                                   {{"Title", TextValue(title)}}, Person("bob")).ok());
  auto intents = world.Intents();
  EXPECT_TRUE(intents.ok() && !intents->empty());
  return intents.ok() ? intents->back() : ferry::v1::WriteIntent();
}

TEST_F(WriteStepsTest, UnderNewestWinsTheLinkAnswersAndAnUpdateIsOneCall) {
  Build("conflict_policy: NEWEST_WINS");
  const auto intent = NewTask("DB down");
  ASSERT_TRUE(Write(intent).wrote);
  world_->dst_writer->gets = 0;
  const WriteSteps::Result result = Write(Retitled(*world_, intent, "DB down in eu-west"));
  EXPECT_TRUE(result.error.ok()) << result.error;
  EXPECT_TRUE(result.wrote);
  EXPECT_EQ(world_->dst_writer->gets, 0);
  EXPECT_EQ(world_->dst_writer->updates, 1);
}

TEST_F(WriteStepsTest, UnderNewestWinsARefusedUpdateReadsAndKeepsAPersonsNewerEdit) {
  Build("conflict_policy: NEWEST_WINS");
  const auto intent = NewTask("DB down");
  ASSERT_TRUE(Write(intent).wrote);
  const auto retitled = Retitled(*world_, intent, "DB down in eu-west");
  // Carol edits the copy after bob's edit, before the reader brings it;
  // the target refuses Ferry's update (it changed since Ferry wrote it).
  ASSERT_TRUE(world_->dst->SetFields(Write(intent).target.id,
                                     {{"Title", TextValue("DB fixed")}}, Person("carol"))
                  .ok());
  world_->dst_writer->refusals = 1;
  world_->dst_writer->gets = 0;
  world_->dst_writer->updates = 0;
  const WriteSteps::Result result = Write(retitled);
  EXPECT_TRUE(result.error.ok()) << result.error;
  EXPECT_FALSE(result.wrote);
  EXPECT_EQ(world_->dst_writer->gets, 1);
  EXPECT_EQ(world_->dst_writer->updates, 1);
  ASSERT_FALSE(result.unwritten.empty());
  EXPECT_THAT(result.unwritten[0], HasSubstr("chose the target"));
  auto copy = world_->dst->Get(result.target.id);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->entity().fields().at("Title").text(), "DB fixed");
}

TEST_F(WriteStepsTest, UnderRaiseFailureAnEchoReadsNothing) {
  Build("conflict_policy: RAISE_FAILURE");
  const auto intent = NewTask("DB down");
  ASSERT_TRUE(Write(intent).wrote);
  world_->dst_writer->gets = 0;
  EXPECT_FALSE(Write(intent).wrote);
  EXPECT_EQ(world_->dst_writer->gets, 0);
  // A real change still reads first, to find a conflict.
  EXPECT_TRUE(Write(Retitled(*world_, intent, "DB down in eu-west")).wrote);
  EXPECT_EQ(world_->dst_writer->gets, 1);
}

TEST_F(WriteStepsTest, AnEndSystemErrorIsTheResultNotTheStatus) {
  const auto intent = NewTask("DB down");
  world_->dst_writer->failures = 1;
  const WriteSteps::Result result = Write(intent);
  EXPECT_THAT(std::string(result.error.message()), HasSubstr("503"));
  EXPECT_FALSE(result.wrote);
  // The create may have landed: the next attempt looks for it first.
  EXPECT_TRUE(journal_->MayBePending({"i", "src", intent.change().entity().id()}, ""));
}

TEST_F(WriteStepsTest, UnmatchedCriteriaSkipWithTheCriteriaAsReason) {
  auto intent = NewTask("a");
  intent.set_matches_criteria(false);
  const WriteSteps::Result result = Write(intent);
  EXPECT_EQ(result.skip, Skip::kCriteria);
  EXPECT_FALSE(result.skip_reason.empty());
  EXPECT_EQ(Targets(), 0u);
}

TEST_F(WriteStepsTest, ALookupThatFindsNothingCanSkipWithTheLookupAsReason) {
  Build("target_lookup: {query: 'Title=@Title@', on_none: SKIP}");
  const auto intent = NewTask("a");
  ASSERT_FALSE(intent.target_lookup_query().empty());
  const WriteSteps::Result result = Write(intent);
  EXPECT_EQ(result.skip, Skip::kLookup);
  EXPECT_THAT(result.skip_reason, HasSubstr("found nothing"));
  EXPECT_EQ(Targets(), 0u);
}

TEST_F(WriteStepsTest, OnlyAPlainCreateCanBeRecordedAhead) {
  auto intent = NewTask("a");
  EXPECT_TRUE(steps_->CreatesWithoutLookup(intent));
  auto looked_up = intent;
  looked_up.set_target_lookup_query("Title = a");
  EXPECT_FALSE(steps_->CreatesWithoutLookup(looked_up));
  auto unmapped = intent;
  unmapped.set_mapping_error("no value map entry");
  EXPECT_FALSE(steps_->CreatesWithoutLookup(unmapped));
  auto unmatched = intent;
  unmatched.set_matches_criteria(false);
  EXPECT_FALSE(steps_->CreatesWithoutLookup(unmatched));
  auto elsewhere = intent;
  elsewhere.set_target_system("nowhere");
  EXPECT_FALSE(steps_->CreatesWithoutLookup(elsewhere));
}

}  // namespace
}  // namespace ferry::engine
