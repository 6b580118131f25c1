#include "engine/writer/change_applier.h"

#include <cstdlib>

#include "connectors/fake/fake_system.h"
#include "engine/writer/testing/writer_test_world.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/values.h"

namespace ferry::engine {
namespace {

using ::ferry::testing::LookupName;
using ::ferry::testing::Person;
using ::ferry::testing::TextValue;

using ::testing::HasSubstr;
using ferry::v1::ChangeOutcome;

class ChangeApplierTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(""); }

  // (Re)builds everything with `extra` YAML added to the integration and
  // `mapping_extra` to the mapping.
  void Build(const std::string& extra, const std::string& mapping_extra = "") {
    applier_.reset();
    world_.reset();
    auto world = WriterTestWorld::Make(CurrentTestDir(), extra, mapping_extra);
    ASSERT_TRUE(world.ok()) << world.status();
    world_ = *std::move(world);
    plan_ = world_->plan;
    store_ = world_->store.get();
    dst_writer_ = world_->dst_writer.get();
    src_ = world_->src.get();
    dst_ = world_->dst.get();
    RestartApplier();
  }

  // A new applier over the same state, as after a restart.
  void RestartApplier() {
    applier_ = std::make_unique<ChangeApplier>(plan_, store_, world_->writers(),
                                               [this] { return now_; });
  }

  // The source's current changes, mapped, as the transformer would send
  // them.
  std::vector<ferry::v1::WriteIntent> Intents() {
    auto intents = world_->Intents();
    EXPECT_TRUE(intents.ok()) << intents.status();
    return intents.ok() ? *intents : std::vector<ferry::v1::WriteIntent>();
  }

  ChangeOutcome ApplyOne(const ferry::v1::WriteIntent& intent) {
    auto outcome = applier_->Apply(intent);
    EXPECT_TRUE(outcome.ok()) << outcome.status();
    return *outcome;
  }

  // The origin of the create record the store holds for source entity
  // `id` (in a group or on its own); nullopt when there is none.
  std::optional<std::string> CreateRecordOf(const std::string& id) {
    std::optional<std::string> origin;
    absl::Status listed = store_->ForEachPending(
        "i", [&](const EntityKey& entity, absl::string_view sub,
                 const ferry::v1::PendingWrite& pending) {
          if (entity.system == "src" && entity.id == id && sub.empty()) {
            origin = pending.origin();
          }
          return true;
        });
    EXPECT_TRUE(listed.ok()) << listed;
    return origin;
  }

  // Creates source task "a" and applies its change in a batch whose
  // create fails (parked), then commits; returns the task's id, or "" when
  // any step went otherwise.
  std::string ParkACreateInABatch() {
    auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                               Person("alice"));
    if (!entity.ok()) return "";
    ferry::v1::WriteBatch batch;
    *batch.add_writes() = Intents().at(0);
    dst_writer_->failures = 1;
    const bool parked = applier_->BeginBatch(batch).ok() &&
                        ApplyOne(batch.writes(0)).kind() == ChangeOutcome::KIND_PARKED &&
                        applier_->CommitBatch().ok();
    return parked ? entity->id() : "";
  }

  // The failed create of source task `id` (titled "a") had landed after
  // all (a timeout, say); after a restart, the first thing the new applier
  // does is the retry, which finds the copy instead of creating another.
  void ExpectTheRetryAfterARestartFindsTheCreate(const std::string& id) {
    ASSERT_TRUE(dst_->Create("DST", "Task", {{"Title", TextValue("a")}},
                             Person("ferry"), "ferry:i:src:" + id).ok());
    RestartApplier();
    now_ += absl::Seconds(11);
    auto retried = applier_->RetryDue();
    ASSERT_TRUE(retried.ok()) << retried.status();
    EXPECT_EQ(dst_writer_->creates, 0);
    EXPECT_EQ(Targets().size(), 1u);
  }

  std::vector<fake::FakeEntity> Targets() {
    auto all = dst_->ChangedAfter("DST", 0);
    EXPECT_TRUE(all.ok());
    return *all;
  }

  std::unique_ptr<WriterTestWorld> world_;
  std::shared_ptr<const IntegrationPlan> plan_;
  StateStore* store_ = nullptr;
  FlakyWriter* dst_writer_ = nullptr;
  fake::FakeSystem* src_ = nullptr;
  fake::FakeSystem* dst_ = nullptr;
  std::unique_ptr<ChangeApplier> applier_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
};

TEST_F(ChangeApplierTest, CreatesOnceThenRepeatsAreEchoes) {
  auto entity = src_->Create("SRC", "Task",
                             {{"Title", TextValue("DB down")}, {"Status", LookupName("open")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  const auto intent = Intents().at(0);

  const ChangeOutcome first = ApplyOne(intent);
  EXPECT_EQ(first.kind(), ChangeOutcome::KIND_WRITTEN) << first.detail();
  const ChangeOutcome again = ApplyOne(intent);
  EXPECT_EQ(again.kind(), ChangeOutcome::KIND_SKIPPED);
  EXPECT_THAT(again.detail(), HasSubstr("nothing to write"));

  const auto targets = Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].entity().fields().at("Title").text(), "DB down");
  EXPECT_EQ(targets[0].entity().fields().at("Status").lookup().name(), "open");
  EXPECT_EQ(first.target_id(), targets[0].entity().id());

  auto link = store_->FindLink({"i", "dst", targets[0].entity().id()});
  ASSERT_TRUE(link.ok() && link->has_value());
  EXPECT_EQ((*link)->source_id(), entity->id());
  EXPECT_EQ((*link)->last_synced().at("dst/Title").text(), "DB down");
  EXPECT_EQ((*link)->last_synced().at("src/Title").text(), "DB down");
}

TEST_F(ChangeApplierTest, CreateNamesTheSourceForALinkBack) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("DB down")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  auto intent = Intents().at(0);
  intent.mutable_change()->mutable_entity()->set_url("https://src.example/SRC-1");

  EXPECT_EQ(ApplyOne(intent).kind(), ChangeOutcome::KIND_WRITTEN);
  EXPECT_EQ(dst_writer_->last_create.source_url, "https://src.example/SRC-1");
  EXPECT_EQ(dst_writer_->last_create.source_title,
            "src " + intent.change().entity().display_key());
}

TEST_F(ChangeApplierTest, ABatchCommitsOnceAndSeesItsOwnLinks) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  const auto created = Intents().at(0);
  ASSERT_TRUE(src_->AddComment(entity->id(), "later", Person("bob")).ok());
  const auto commented = Intents().at(0);

  ferry::v1::WriteBatch batch;
  *batch.add_writes() = created;
  *batch.add_writes() = commented;
  ASSERT_TRUE(applier_->BeginBatch(batch).ok());
  EXPECT_EQ(ApplyOne(created).kind(), ChangeOutcome::KIND_WRITTEN);
  EXPECT_EQ(ApplyOne(commented).kind(), ChangeOutcome::KIND_WRITTEN);
  // Not yet in the store, yet the second change found the first's copy.
  auto before = store_->FindLink({"i", "src", entity->id()});
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->has_value());
  EXPECT_EQ(dst_writer_->creates, 1);
  ASSERT_TRUE(applier_->CommitBatch().ok());

  auto after = store_->FindLink({"i", "src", entity->id()});
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_EQ((*after)->comments_size(), 1);
  const auto targets = Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].entity().comments_size(), 1);
}

TEST_F(ChangeApplierTest, CrashBetweenAWriteAndItsRecordIsNotTakenForAnEcho) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_WRITTEN);

  // "b" reaches the target, then the process dies before the batch's
  // links are committed: the link still says "a" was synced.
  ASSERT_TRUE(src_->SetFields(entity->id(), {{"Title", TextValue("b")}},
                              Person("bob")).ok());
  ferry::v1::WriteBatch batch;
  *batch.add_writes() = Intents().at(0);
  ASSERT_TRUE(applier_->BeginBatch(batch).ok());
  ASSERT_EQ(ApplyOne(batch.writes(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  ASSERT_EQ(Targets().at(0).entity().fields().at("Title").text(), "b");
  RestartApplier();  // No CommitBatch: the crash.

  // Back to "a" in the source: equal to the recorded value, yet it must
  // be written, because the target holds "b".
  ASSERT_TRUE(src_->SetFields(entity->id(), {{"Title", TextValue("a")}},
                              Person("bob")).ok());
  EXPECT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  EXPECT_EQ(Targets().at(0).entity().fields().at("Title").text(), "a");
}

TEST_F(ChangeApplierTest, UpdatesOnlyWhatChanged) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  ASSERT_TRUE(src_->SetFields(entity->id(), {{"Title", TextValue("b")}},
                              Person("bob")).ok());
  EXPECT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  const auto targets = Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].entity().fields().at("Title").text(), "b");
  EXPECT_EQ(targets[0].history_size(), 2);  // Created, then one update.
}

TEST_F(ChangeApplierTest, CommentsArePostedOnce) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  ASSERT_TRUE(src_->AddComment(entity->id(), "first", Person("alice")).ok());
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  ASSERT_TRUE(src_->AddComment(entity->id(), "second", Person("bob")).ok());
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  ApplyOne(Intents().at(0));
  const auto targets = Targets();
  ASSERT_EQ(targets.size(), 1u);
  ASSERT_EQ(targets[0].entity().comments_size(), 2);
  EXPECT_THAT(targets[0].entity().comments(0).body(), HasSubstr("first"));
  EXPECT_THAT(targets[0].entity().comments(1).body(), HasSubstr("second"));
}

TEST_F(ChangeApplierTest, CreateInterruptedByACrashIsFoundNotRepeated) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  // The state a crash leaves: the pending record, and the entity created
  // in the target with its origin, but no link.
  const std::string origin = "ferry:i:src:" + entity->id();
  ferry::v1::PendingWrite pending;
  pending.set_origin(origin);
  StateStore::Batch batch;
  batch.PutPending({"i", "src", entity->id()}, "", pending);
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());
  ASSERT_TRUE(dst_->Create("DST", "Task", {{"Title", TextValue("a")}},
                           Person("ferry"), origin).ok());

  EXPECT_NE(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_PARKED);
  EXPECT_EQ(dst_writer_->creates, 0);
  EXPECT_EQ(Targets().size(), 1u);
  // The writer was asked with the create it would have repeated, so a
  // marker made of mapped fields (an incident key) can be found too.
  ASSERT_EQ(dst_writer_->find_created_requests.size(), 1u);
  const CreateRequest& asked = dst_writer_->find_created_requests[0];
  EXPECT_EQ(asked.origin, origin);
  EXPECT_EQ(asked.project, "DST");
  ASSERT_FALSE(asked.fields.empty());
  EXPECT_EQ(asked.fields[0].target_field(), "Title");
  EXPECT_EQ(CreateRecordOf(entity->id()), std::nullopt);
}

TEST_F(ChangeApplierTest, CommentInterruptedByACrashIsFoundNotRepeated) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  auto comment = src_->AddComment(entity->id(), "hello", Person("alice"));
  ASSERT_TRUE(comment.ok());
  // The crash came after the comment was posted, before the link.
  const std::string target_id = Targets().at(0).entity().id();
  const std::string origin =
      "ferry:i:src:" + entity->id() + "/comment/" + *comment;
  ferry::v1::PendingWrite pending;
  pending.set_kind(ferry::v1::PendingWrite::KIND_COMMENT);
  pending.set_origin(origin);
  StateStore::Batch batch;
  // Comment records are keyed by the system the comment came from and its id.
  batch.PutPending({"i", "src", entity->id()}, "src/" + *comment, pending);
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());
  ASSERT_TRUE(dst_->AddComment(target_id, "hello", Person("ferry"), origin).ok());
  RestartApplier();  // The crash.

  ApplyOne(Intents().at(0));
  EXPECT_EQ(Targets().at(0).entity().comments_size(), 1);
}

TEST_F(ChangeApplierTest, ABatchRecordsItsCreatesAheadAndClearsThemOnCommit) {
  auto a = src_->Create("SRC", "Task", {{"Title", TextValue("a")}}, Person("alice"));
  auto b = src_->Create("SRC", "Task", {{"Title", TextValue("b")}}, Person("alice"));
  ASSERT_TRUE(a.ok() && b.ok());
  const auto intents = Intents();
  ferry::v1::WriteBatch batch;
  for (const auto& intent : intents) *batch.add_writes() = intent;

  ASSERT_TRUE(applier_->BeginBatch(batch).ok());
  // Both creates are durable before any end-system call.
  for (const auto& id : {a->id(), b->id()}) {
    EXPECT_EQ(CreateRecordOf(id), "ferry:i:src:" + id);
  }
  // Only the first change is applied (the stream broke, say).
  EXPECT_EQ(ApplyOne(intents.at(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  ASSERT_TRUE(applier_->CommitBatch().ok());

  for (const auto& id : {a->id(), b->id()}) {
    EXPECT_EQ(CreateRecordOf(id), std::nullopt) << id;
  }
  EXPECT_EQ(dst_writer_->creates, 1);
}

TEST_F(ChangeApplierTest, CrashAfterABatchBeganCreatesEachEntityOnce) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  ferry::v1::WriteBatch batch;
  *batch.add_writes() = Intents().at(0);
  ASSERT_TRUE(applier_->BeginBatch(batch).ok());
  ASSERT_EQ(ApplyOne(batch.writes(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  RestartApplier();  // No CommitBatch: the crash.

  // The recorded create is found by its origin, not made again.
  ASSERT_TRUE(applier_->BeginBatch(batch).ok());
  EXPECT_NE(ApplyOne(batch.writes(0)).kind(), ChangeOutcome::KIND_PARKED);
  ASSERT_TRUE(applier_->CommitBatch().ok());
  EXPECT_EQ(dst_writer_->creates, 1);
  EXPECT_EQ(Targets().size(), 1u);
  EXPECT_EQ(CreateRecordOf(entity->id()), std::nullopt);
}

TEST_F(ChangeApplierTest, ACreateACrashLeftInABatchIsFoundAfterOtherBatches) {
  auto a = src_->Create("SRC", "Task", {{"Title", TextValue("a")}}, Person("alice"));
  ASSERT_TRUE(a.ok());
  ferry::v1::WriteBatch first;
  *first.add_writes() = Intents().at(0);
  ASSERT_TRUE(applier_->BeginBatch(first).ok());
  ASSERT_EQ(ApplyOne(first.writes(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  RestartApplier();  // No CommitBatch: the crash.

  // The restarted writer first gets a batch of another entity...
  auto b = src_->Create("SRC", "Task", {{"Title", TextValue("b")}}, Person("alice"));
  ASSERT_TRUE(b.ok());
  ferry::v1::WriteBatch second;
  for (const auto& intent : Intents()) {
    if (intent.change().entity().id() == b->id()) *second.add_writes() = intent;
  }
  ASSERT_EQ(second.writes_size(), 1);
  ASSERT_TRUE(applier_->BeginBatch(second).ok());
  ASSERT_EQ(ApplyOne(second.writes(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  ASSERT_TRUE(applier_->CommitBatch().ok());
  RestartApplier();  // Another restart: only the store remembers.
  // ...and only then the interrupted one again: its copy is found.
  ASSERT_TRUE(applier_->BeginBatch(first).ok());
  EXPECT_NE(ApplyOne(first.writes(0)).kind(), ChangeOutcome::KIND_PARKED);
  ASSERT_TRUE(applier_->CommitBatch().ok());
  EXPECT_EQ(dst_writer_->creates, 2);
  EXPECT_EQ(Targets().size(), 2u);
  EXPECT_EQ(CreateRecordOf(a->id()), std::nullopt);
}

TEST_F(ChangeApplierTest, ACreateThatFailedInABatchKeepsItsRecordUntilItLands) {
  const std::string id = ParkACreateInABatch();
  ASSERT_FALSE(id.empty());
  // The call may have landed before it failed: the record stays.
  EXPECT_EQ(CreateRecordOf(id), "ferry:i:src:" + id);

  now_ += absl::Seconds(11);
  auto retried = applier_->RetryDue();
  ASSERT_TRUE(retried.ok()) << retried.status();
  ASSERT_EQ(retried->size(), 1u);
  EXPECT_EQ(Targets().size(), 1u);
  EXPECT_EQ(CreateRecordOf(id), std::nullopt);
}

TEST_F(ChangeApplierTest, ARetryAfterARestartFindsACreateThatLanded) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  dst_writer_->failures = 1;
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_PARKED);
  ExpectTheRetryAfterARestartFindsTheCreate(entity->id());
}

TEST_F(ChangeApplierTest, ACreateThatFailedInABatchAndLandedIsFoundAfterARestart) {
  const std::string id = ParkACreateInABatch();
  ASSERT_FALSE(id.empty());
  ExpectTheRetryAfterARestartFindsTheCreate(id);
  EXPECT_EQ(CreateRecordOf(id), std::nullopt);
}

TEST_F(ChangeApplierTest, FailuresRetryWithBackoffAndKeepOrder) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  dst_writer_->failures = 1;
  const ChangeOutcome parked = ApplyOne(Intents().at(0));
  ASSERT_EQ(parked.kind(), ChangeOutcome::KIND_PARKED);
  EXPECT_THAT(parked.detail(), HasSubstr("503 Service Unavailable"));

  // A later change of the same entity waits behind the failure.
  ASSERT_TRUE(src_->SetFields(entity->id(), {{"Title", TextValue("b")}},
                              Person("bob")).ok());
  const ChangeOutcome waiting = ApplyOne(Intents().at(0));
  ASSERT_EQ(waiting.kind(), ChangeOutcome::KIND_PARKED);
  EXPECT_THAT(waiting.detail(), HasSubstr("waiting behind failure"));
  EXPECT_TRUE(Targets().empty());

  // Not due yet: nothing happens.
  auto early = applier_->RetryDue();
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->empty());

  now_ += absl::Seconds(11);
  auto retried = applier_->RetryDue();
  ASSERT_TRUE(retried.ok()) << retried.status();
  ASSERT_EQ(retried->size(), 2u);
  const auto targets = Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].entity().fields().at("Title").text(), "b");
  auto failures = store_->FailuresOf({"i", "src", entity->id()});
  ASSERT_TRUE(failures.ok());
  EXPECT_TRUE(failures->empty());
}

TEST_F(ChangeApplierTest, ARetryWritesTheSourcesCurrentValuesNotTheParkedOnes) {
  auto entity = src_->Create("SRC", "Task",
                             {{"Title", TextValue("a")}, {"Status", LookupName("open")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  dst_writer_->failures = 1;
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_PARKED);
  // Meanwhile the source moved on, written by Ferry itself (from the other
  // side of a both-ways integration), so no change of it will come.
  ASSERT_TRUE(src_->SetFields(entity->id(), {{"Status", LookupName("done")}},
                              Person("ferry")).ok());

  now_ += absl::Seconds(11);
  ASSERT_TRUE(applier_->RetryDue().ok());
  const auto targets = Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].entity().fields().at("Status").lookup().name(), "done");
}

TEST_F(ChangeApplierTest, AttemptsRunOutThenAPersonReprocesses) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  dst_writer_->failures = 5;
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_PARKED);
  now_ += absl::Minutes(1);
  ASSERT_TRUE(applier_->RetryDue().ok());  // Attempt 2 of 2 fails.
  auto failures = store_->FailuresOf({"i", "src", entity->id()});
  ASSERT_TRUE(failures.ok());
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ((*failures)[0].attempts(), 2);
  EXPECT_FALSE((*failures)[0].has_next_attempt());

  now_ += absl::Hours(1);
  auto none = applier_->RetryDue();
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());  // Left for a person.

  dst_writer_->failures = 0;
  ferry::v1::FailureSelector selector;
  selector.set_error_contains("503");
  auto reprocessed = applier_->Reprocess(selector);
  ASSERT_TRUE(reprocessed.ok()) << reprocessed.status();
  EXPECT_EQ(reprocessed->affected(), 1);
  EXPECT_EQ(reprocessed->still_failing_size(), 0);
  EXPECT_EQ(Targets().size(), 1u);
}

TEST_F(ChangeApplierTest, SkippingAFailureLetsTheNextChangeThrough) {
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  dst_writer_->failures = 1;
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_PARKED);
  ASSERT_TRUE(src_->SetFields(entity->id(), {{"Title", TextValue("b")}},
                              Person("bob")).ok());
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_PARKED);

  auto failures = store_->FailuresOf({"i", "src", entity->id()});
  ASSERT_TRUE(failures.ok() && failures->size() == 2u);
  ferry::v1::FailureSelector selector;
  selector.add_ids((*failures)[0].id());
  auto skipped = applier_->Skip(selector);
  ASSERT_TRUE(skipped.ok()) << skipped.status();
  EXPECT_EQ(skipped->affected(), 1);
  const auto targets = Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].entity().fields().at("Title").text(), "b");
}

TEST_F(ChangeApplierTest, TargetLookupLinksAnExistingEntity) {
  Build("target_lookup: {query: 'Title=@Title@'}");
  ASSERT_TRUE(dst_->Create("DST", "Task", {{"Title", TextValue("DB down")}},
                           Person("carol")).ok());
  ASSERT_TRUE(src_->Create("SRC", "Task", {{"Title", TextValue("DB down")}},
                           Person("alice")).ok());
  ApplyOne(Intents().at(0));
  EXPECT_EQ(dst_writer_->creates, 0);
  EXPECT_EQ(Targets().size(), 1u);
}

TEST_F(ChangeApplierTest, TargetLookupWithSeveralMatchesFailsByDefault) {
  Build("target_lookup: {query: 'Title=@Title@'}");
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(dst_->Create("DST", "Task", {{"Title", TextValue("dup")}},
                             Person("carol")).ok());
  }
  ASSERT_TRUE(src_->Create("SRC", "Task", {{"Title", TextValue("dup")}},
                           Person("alice")).ok());
  const ChangeOutcome outcome = ApplyOne(Intents().at(0));
  EXPECT_EQ(outcome.kind(), ChangeOutcome::KIND_PARKED);
  EXPECT_THAT(outcome.detail(), HasSubstr("found 2 entities"));
}

TEST_F(ChangeApplierTest, TargetLookupWithNoMatchCanSkip) {
  Build("target_lookup: {query: 'Title=@Title@', on_none: SKIP}");
  ASSERT_TRUE(src_->Create("SRC", "Task", {{"Title", TextValue("new")}},
                           Person("alice")).ok());
  const ChangeOutcome outcome = ApplyOne(Intents().at(0));
  EXPECT_EQ(outcome.kind(), ChangeOutcome::KIND_SKIPPED);
  EXPECT_TRUE(Targets().empty());
}

TEST_F(ChangeApplierTest, ConflictIsRaisedWhenBothSidesChanged) {
  Build("conflict_policy: RAISE_FAILURE");
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  const std::string target_id = Targets().at(0).entity().id();
  ASSERT_TRUE(dst_->SetFields(target_id, {{"Title", TextValue("target edit")}},
                              Person("carol")).ok());
  ASSERT_TRUE(src_->SetFields(entity->id(), {{"Title", TextValue("source edit")}},
                              Person("bob")).ok());
  const ChangeOutcome outcome = ApplyOne(Intents().at(0));
  EXPECT_EQ(outcome.kind(), ChangeOutcome::KIND_PARKED);
  EXPECT_THAT(outcome.detail(), HasSubstr("both sides changed Title"));
  EXPECT_EQ(Targets().at(0).entity().fields().at("Title").text(),
            "target edit");
}

TEST_F(ChangeApplierTest, WritesWhereTheCopyLivesBackIntoTheSourceOnce) {
  Build("", "remote_entity: {id_field: Description, as_comment: true}");
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  ApplyOne(Intents().at(0));  // A repeat writes nothing back again.

  const std::string copy_id = Targets().at(0).entity().id();
  auto source = src_->Get(entity->id());
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source->entity().fields().at("Description").text(), copy_id);
  ASSERT_EQ(source->entity().comments_size(), 1);
  EXPECT_THAT(source->entity().comments(0).body(), HasSubstr(copy_id.substr(1)));
  EXPECT_EQ(source->entity().comments(0).author().id(), "ferry");
}

TEST_F(ChangeApplierTest, ChangesFlowingBackWriteNothingOntoTheTarget) {
  Build("direction: BOTH", "remote_entity: {as_comment: true}");
  auto entity = src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                             Person("alice"));
  ASSERT_TRUE(entity.ok());
  ASSERT_EQ(ApplyOne(Intents().at(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  const std::string copy_id = Targets().at(0).entity().id();
  ASSERT_TRUE(dst_->SetFields(copy_id, {{"Title", TextValue("b")}}, Person("bob")).ok());

  ReaderOptions options;
  options.integration = "i";
  options.project = "DST";
  auto reader = world_->connectors.at("dst")->NewReader(options);
  ASSERT_TRUE(reader.ok());
  auto page = (*reader)->ReadChanges(std::nullopt, 100);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_FALSE(page->changes.empty());
  auto back = plan_->reverse->Map(page->changes.back());
  ASSERT_TRUE(back.ok()) << back.status();
  // Title flows forward only, so the change back has nothing to write; in
  // particular no note on the copy of where its source lives.
  EXPECT_EQ(ApplyOne(*back).kind(), ChangeOutcome::KIND_SKIPPED);

  auto copy = dst_->Get(copy_id);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->entity().comments_size(), 0);
  auto source = src_->Get(entity->id());
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source->entity().comments_size(), 1);  // where the copy lives
}

TEST_F(ChangeApplierTest, UnmatchedCriteriaSkipUnlinkedEntities) {
  ferry::v1::WriteIntent intent;
  ASSERT_TRUE(src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                           Person("alice")).ok());
  intent = Intents().at(0);
  intent.set_matches_criteria(false);
  const ChangeOutcome outcome = ApplyOne(intent);
  EXPECT_EQ(outcome.kind(), ChangeOutcome::KIND_SKIPPED);
  EXPECT_TRUE(Targets().empty());
}

TEST_F(ChangeApplierTest, MappingErrorsAreParkedWithTheirReason) {
  ASSERT_TRUE(src_->Create("SRC", "Task", {{"Title", TextValue("a")}},
                           Person("alice")).ok());
  ferry::v1::WriteIntent intent = Intents().at(0);
  intent.set_mapping_error("Status 'weird' has no value map entry");
  const ChangeOutcome outcome = ApplyOne(intent);
  EXPECT_EQ(outcome.kind(), ChangeOutcome::KIND_PARKED);
  EXPECT_THAT(outcome.detail(), HasSubstr("Status 'weird'"));
}

TEST_F(ChangeApplierTest, CountsAreTotalsThatSurviveARestart) {
  ASSERT_TRUE(src_->Create("SRC", "Task", {{"Title", TextValue("a")}}, Person("alice")).ok());
  ferry::v1::WriteBatch batch;
  *batch.add_writes() = Intents().at(0);
  ASSERT_TRUE(applier_->BeginBatch(batch).ok());
  ASSERT_EQ(ApplyOne(batch.writes(0)).kind(), ChangeOutcome::KIND_WRITTEN);
  ASSERT_TRUE(applier_->CommitBatch().ok());
  // Outside a batch, and a repeat that needs no write.
  ASSERT_EQ(ApplyOne(batch.writes(0)).kind(), ChangeOutcome::KIND_SKIPPED);

  RestartApplier();
  auto counts = applier_->GetCounts();
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->written, 1);
  EXPECT_EQ(counts->skipped, 1);
  EXPECT_EQ(counts->skipped_by_reason.at("unchanged"), 1);
  EXPECT_EQ(counts->last_written, now_);

  // Counting goes on from there.
  now_ += absl::Minutes(1);
  ASSERT_TRUE(src_->Create("SRC", "Task", {{"Title", TextValue("b")}}, Person("alice")).ok());
  ASSERT_EQ(ApplyOne(Intents().back()).kind(), ChangeOutcome::KIND_WRITTEN);
  RestartApplier();
  counts = applier_->GetCounts();
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->written, 2);
  EXPECT_EQ(counts->last_written, now_);
}

}  // namespace
}  // namespace ferry::engine
