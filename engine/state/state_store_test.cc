#include "engine/state/state_store.h"

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"

namespace ferry::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(std::getenv("TEST_TMPDIR")) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    Reopen();
  }

  void Reopen() {
    store_.reset();
    auto store = StateStore::Open(dir_.string(), StateStore::Options());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  static ferry::v1::Link MakeLink(const std::string& integration,
                                  const std::string& source_id,
                                  const std::string& target_id) {
    ferry::v1::Link link;
    link.set_integration(integration);
    link.set_source_system("pd");
    link.set_source_id(source_id);
    link.set_target_system("jira");
    link.set_target_id(target_id);
    link.set_target_key("OPS-" + target_id);
    return link;
  }

  ferry::v1::Failure MakeFailure(const std::string& source_id) {
    ferry::v1::Failure failure;
    failure.set_id(store_->NewFailureId());
    failure.set_integration("i");
    failure.set_source_system("pd");
    failure.set_source_id(source_id);
    failure.set_error("boom " + source_id);
    return failure;
  }

  std::filesystem::path dir_;
  std::unique_ptr<StateStore> store_;
};

TEST_F(StateStoreTest, CheckpointSurvivesReopen) {
  const PartitionKey partition{"i", "pd", "PSVC"};
  auto before = store_->GetCheckpoint(partition);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->has_value());

  ferry::v1::SourcePosition position;
  position.mutable_time()->set_seconds(1700000000);
  position.set_tie_breaker("LOG42");
  StateStore::Batch batch;
  batch.PutCheckpoint(partition, position);
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());
  Reopen();

  auto after = store_->GetCheckpoint(partition);
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_EQ((*after)->tie_breaker(), "LOG42");
  EXPECT_EQ((*after)->time().seconds(), 1700000000);
}

TEST_F(StateStoreTest, LinkIsFoundFromEitherSide) {
  StateStore::Batch batch;
  batch.PutLink(MakeLink("i", "P1", "10001"));
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());

  auto by_source = store_->FindLink({"i", "pd", "P1"});
  ASSERT_TRUE(by_source.ok() && by_source->has_value());
  EXPECT_EQ((*by_source)->target_key(), "OPS-10001");

  auto by_target = store_->FindLink({"i", "jira", "10001"});
  ASSERT_TRUE(by_target.ok() && by_target->has_value());
  EXPECT_EQ((*by_target)->source_id(), "P1");

  auto other_integration = store_->FindLink({"j", "pd", "P1"});
  ASSERT_TRUE(other_integration.ok());
  EXPECT_FALSE(other_integration->has_value());
}

TEST_F(StateStoreTest, BatchWithAnInvalidKeyWritesNothing) {
  StateStore::Batch batch;
  batch.PutLink(MakeLink("i", "P1", "10001"));
  batch.PutCheckpoint({"i", "pd", std::string("bad\0key", 7)},
                      ferry::v1::SourcePosition());
  EXPECT_EQ(store_->Write(std::move(batch)).code(),
            absl::StatusCode::kInvalidArgument);
  auto link = store_->FindLink({"i", "pd", "P1"});
  ASSERT_TRUE(link.ok());
  EXPECT_FALSE(link->has_value());
}

TEST_F(StateStoreTest, FailuresAreListedOldestFirstAndByEntity) {
  StateStore::Batch batch;
  const auto first = MakeFailure("P1");
  const auto second = MakeFailure("P2");
  const auto third = MakeFailure("P1");
  batch.PutFailure(first);
  batch.PutFailure(second);
  batch.PutFailure(third);
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());

  std::vector<std::string> errors;
  ASSERT_TRUE(store_
                  ->ForEachFailure("i", "",
                                   [&](const ferry::v1::Failure& f) {
                                     errors.push_back(f.error());
                                     return true;
                                   })
                  .ok());
  EXPECT_THAT(errors, ElementsAre("boom P1", "boom P2", "boom P1"));

  errors.clear();
  ASSERT_TRUE(store_
                  ->ForEachFailure("i", first.id(),
                                   [&](const ferry::v1::Failure& f) {
                                     errors.push_back(f.id());
                                     return true;
                                   })
                  .ok());
  EXPECT_THAT(errors, ElementsAre(second.id(), third.id()));

  auto of_p1 = store_->FailuresOf({"i", "pd", "P1"});
  ASSERT_TRUE(of_p1.ok());
  ASSERT_EQ(of_p1->size(), 2u);
  EXPECT_EQ((*of_p1)[0].id(), first.id());
  EXPECT_EQ((*of_p1)[1].id(), third.id());

  StateStore::Batch remove;
  remove.DeleteFailure(first);
  ASSERT_TRUE(store_->Write(std::move(remove)).ok());
  of_p1 = store_->FailuresOf({"i", "pd", "P1"});
  ASSERT_TRUE(of_p1.ok());
  ASSERT_EQ(of_p1->size(), 1u);
  EXPECT_EQ((*of_p1)[0].id(), third.id());
}

TEST_F(StateStoreTest, FailureIdsKeepGrowingAfterReopen) {
  StateStore::Batch batch;
  const auto failure = MakeFailure("P1");
  batch.PutFailure(failure);
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());
  Reopen();
  EXPECT_GT(store_->NewFailureId(), failure.id());
}

// The pending writes of integration "i", as "system/id/sub=origin".
std::vector<std::string> PendingOf(const StateStore& store) {
  std::vector<std::string> found;
  absl::Status listed = store.ForEachPending(
      "i", [&](const EntityKey& entity, absl::string_view sub,
               const ferry::v1::PendingWrite& pending) {
        found.push_back(absl::StrCat(entity.system, "/", entity.id, "/", sub, "=",
                                     pending.origin()));
        return true;
      });
  EXPECT_TRUE(listed.ok()) << listed;
  return found;
}

TEST_F(StateStoreTest, PendingWriteRoundTrip) {
  const EntityKey entity{"i", "pd", "P1"};
  ferry::v1::PendingWrite pending;
  pending.set_kind(ferry::v1::PendingWrite::KIND_COMMENT);
  pending.set_origin("ferry:i:pd:P1:N7");
  StateStore::Batch batch;
  batch.PutPending(entity, "N7", pending);
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());
  Reopen();

  EXPECT_THAT(PendingOf(*store_), ElementsAre("pd/P1/N7=ferry:i:pd:P1:N7"));

  StateStore::Batch done;
  done.DeletePending(entity, "N7");
  ASSERT_TRUE(store_->Write(std::move(done)).ok());
  EXPECT_THAT(PendingOf(*store_), IsEmpty());
}

TEST_F(StateStoreTest, APendingWriteWithoutASystemIsRefused) {
  StateStore::Batch batch;
  batch.PutPending({"i", "", "P1"}, "", ferry::v1::PendingWrite());
  EXPECT_EQ(store_->Write(std::move(batch)).code(),
            absl::StatusCode::kInvalidArgument);
}

ferry::v1::PendingGroup GroupOf(const std::vector<std::string>& ids) {
  ferry::v1::PendingGroup group;
  for (const auto& id : ids) {
    auto* member = group.add_members();
    member->set_system("pd");
    member->set_id(id);
    member->mutable_write()->set_origin("o-" + id);
  }
  return group;
}

TEST_F(StateStoreTest, APendingGroupsMembersAreListedLikeRecordsOfTheirOwn) {
  StateStore::Batch batch;
  batch.PutPendingGroup("i", 1, GroupOf({"P1", "P2"}));
  batch.PutPendingGroup("i2", 1, GroupOf({"P9"}));  // Another integration's.
  ferry::v1::PendingWrite alone;
  alone.set_origin("o-P3");
  batch.PutPending({"i", "pd", "P3"}, "", alone);
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());
  Reopen();
  EXPECT_THAT(PendingOf(*store_),
              UnorderedElementsAre("pd/P1/=o-P1", "pd/P2/=o-P2", "pd/P3/=o-P3"));

  StateStore::Batch done;
  done.DeletePendingGroup("i", 1);
  ASSERT_TRUE(store_->Write(std::move(done)).ok());
  EXPECT_THAT(PendingOf(*store_), ElementsAre("pd/P3/=o-P3"));
}

TEST_F(StateStoreTest, SplitGroupsLeaveMembersThatAreDeletedOneByOne) {
  StateStore::Batch batch;
  batch.PutPendingGroup("i", 1, GroupOf({"P1", "P2"}));
  batch.PutPendingGroup("i", 2, GroupOf({"P3"}));
  batch.PutPendingGroup("i2", 1, GroupOf({"P9"}));
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());

  ASSERT_TRUE(store_->SplitPendingGroups("i").ok());
  EXPECT_THAT(PendingOf(*store_),
              UnorderedElementsAre("pd/P1/=o-P1", "pd/P2/=o-P2", "pd/P3/=o-P3"));
  StateStore::Batch done;
  done.DeletePending({"i", "pd", "P2"}, "");
  ASSERT_TRUE(store_->Write(std::move(done)).ok());
  EXPECT_THAT(PendingOf(*store_), UnorderedElementsAre("pd/P1/=o-P1", "pd/P3/=o-P3"));
  // Nothing of the other integration was touched; splitting twice is a no-op.
  ASSERT_TRUE(store_->SplitPendingGroups("i").ok());
  EXPECT_THAT(PendingOf(*store_), UnorderedElementsAre("pd/P1/=o-P1", "pd/P3/=o-P3"));
  int others = 0;
  ASSERT_TRUE(store_->ForEachPending("i2", [&](const EntityKey&, absl::string_view,
                                               const ferry::v1::PendingWrite&) {
    ++others;
    return true;
  }).ok());
  EXPECT_EQ(others, 1);
}

TEST_F(StateStoreTest, DropIntegrationLeavesOthersAlone) {
  StateStore::Batch batch;
  batch.PutLink(MakeLink("i", "P1", "1"));
  batch.PutLink(MakeLink("i2", "P1", "2"));
  batch.PutCheckpoint({"i", "pd", "S"}, ferry::v1::SourcePosition());
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());

  ASSERT_TRUE(store_->DropIntegration("i").ok());
  int links_of_i = 0, links_of_i2 = 0;
  ASSERT_TRUE(store_->ForEachLink("i", [&](const ferry::v1::Link&) {
    ++links_of_i;
    return true;
  }).ok());
  ASSERT_TRUE(store_->ForEachLink("i2", [&](const ferry::v1::Link&) {
    ++links_of_i2;
    return true;
  }).ok());
  EXPECT_EQ(links_of_i, 0);
  EXPECT_EQ(links_of_i2, 1);
  auto checkpoint = store_->GetCheckpoint({"i", "pd", "S"});
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_FALSE(checkpoint->has_value());
  auto by_target = store_->FindLink({"i", "jira", "1"});
  ASSERT_TRUE(by_target.ok());
  EXPECT_FALSE(by_target->has_value());
}

TEST_F(StateStoreTest, CountersSurviveReopenAndGoWithTheirIntegration) {
  auto none = store_->GetCounters("i");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());

  ferry::v1::IntegrationCounters counters;
  counters.set_written(7);
  (*counters.mutable_skipped_by_reason())["unchanged"] = 3;
  StateStore::Batch batch;
  batch.PutCounters("i", counters);
  batch.PutCounters("i2", counters);
  ASSERT_TRUE(store_->Write(std::move(batch)).ok());
  Reopen();
  auto stored = store_->GetCounters("i");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->written(), 7);
  EXPECT_EQ((*stored)->skipped_by_reason().at("unchanged"), 3);

  ASSERT_TRUE(store_->DropIntegration("i").ok());
  EXPECT_FALSE(store_->GetCounters("i")->has_value());
  EXPECT_TRUE(store_->GetCounters("i2")->has_value());
}

// A state directory as the Ferry before counters wrote it: the column
// families of that version only, holding a link and a checkpoint.
TEST_F(StateStoreTest, AStateWrittenWithoutCountersOpensAndKeepsItsRecords) {
  store_.reset();
  std::filesystem::remove_all(dir_);
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "checkpoints", "links", "links_by_target",
                             "failures", "failure_index", "pending"}) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_.string(), families, &handles, &db).ok());
    const ferry::v1::Link link = MakeLink("i", "P1", "1");
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[2],
                        std::string("i\0pd\0P1", 7), link.SerializeAsString())
                    .ok());
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    delete db;
  }
  StateStore::Options no_create;
  no_create.create_if_missing = false;
  auto store = StateStore::Open(dir_.string(), no_create);
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
  auto link = store_->FindLink({"i", "pd", "P1"});
  ASSERT_TRUE(link.ok() && link->has_value()) << link.status();
  EXPECT_EQ((*link)->target_id(), "1");
  auto counters = store_->GetCounters("i");
  ASSERT_TRUE(counters.ok()) << counters.status();
  EXPECT_FALSE(counters->has_value()) << "counts start from zero";
  StateStore::Batch batch;
  batch.PutCounters("i", ferry::v1::IntegrationCounters());
  EXPECT_TRUE(store_->Write(std::move(batch)).ok());
}

TEST_F(StateStoreTest, SecondOpenOfTheSameDirectoryFailsWithAReason) {
  auto second = StateStore::Open(dir_.string(), StateStore::Options());
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(std::string(second.status().message()),
              ::testing::HasSubstr("opening state in"));
}

}  // namespace
}  // namespace ferry::engine
