#include "engine/writer/write_journal.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

// A pending record as the store lists it.
struct Listed {
  std::string id;
  std::string sub;
  ferry::v1::PendingWrite::Kind kind;
};

class WriteJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir =
        std::string(std::getenv("TEST_TMPDIR")) + "/" +
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir);
    auto store = StateStore::Open(dir, StateStore::Options());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    Restart();
  }

  // A new journal over the same state, as after a crash.
  void Restart() {
    journal_ = std::make_unique<WriteJournal>("i", store_.get(), [] {
      return absl::FromUnixSeconds(1800000000);
    });
    ASSERT_TRUE(journal_->Load().ok());
  }

  std::vector<Listed> Pending() {
    std::vector<Listed> listed;
    absl::Status scanned = store_->ForEachPending(
        "i", [&](const EntityKey& entity, absl::string_view sub,
                 const ferry::v1::PendingWrite& pending) {
          listed.push_back({entity.id, std::string(sub), pending.kind()});
          return true;
        });
    EXPECT_TRUE(scanned.ok()) << scanned;
    return listed;
  }

  // The link of source `id` to target "copy-of-<id>".
  static ferry::v1::Link LinkOf(const std::string& id) {
    ferry::v1::Link link;
    link.set_integration("i");
    link.set_source_system("src");
    link.set_source_id(id);
    link.set_target_system("dst");
    link.set_target_id("copy-of-" + id);
    return link;
  }

  // Begins a batch over `created` (entities it will create) and `updated`.
  absl::Status Begin(const std::vector<std::string>& created,
                     const std::vector<std::string>& updated) {
    std::vector<EntityKey> entities;
    for (const auto* ids : {&created, &updated}) {
      for (const auto& id : *ids) entities.push_back(Key(id));
    }
    return journal_->BeginBatch(entities, [&](const EntityKey& key, bool linked) {
      return !linked &&
             std::find(created.begin(), created.end(), key.id) != created.end();
    });
  }

  static EntityKey Key(const std::string& id) { return {"i", "src", id}; }

  std::unique_ptr<StateStore> store_;
  std::unique_ptr<WriteJournal> journal_;
};

TEST_F(WriteJournalTest, ABatchMarksItsEntitiesBeforeAnyCallInOneGroup) {
  ASSERT_TRUE(Begin({"new"}, {"old"}).ok());
  const auto pending = Pending();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].id, "new");
  EXPECT_EQ(pending[0].kind, ferry::v1::PendingWrite::KIND_CREATE);
  EXPECT_EQ(pending[1].id, "old");
  EXPECT_EQ(pending[1].kind, ferry::v1::PendingWrite::KIND_UPDATE);
  EXPECT_TRUE(journal_->MayBePending(Key("new"), ""));
  EXPECT_FALSE(journal_->MayBePending(Key("old"), ""));
}

TEST_F(WriteJournalTest, ABatchSeesItsOwnLinksAndStoresThemOnCommit) {
  ASSERT_TRUE(Begin({}, {"a"}).ok());
  WriteJournal::Entry entry;
  ASSERT_TRUE(journal_->Start(Key("a"), &entry).ok());
  ASSERT_TRUE(journal_->Save(LinkOf("a"), &entry).ok());

  auto seen = journal_->FindLink(Key("a"));
  ASSERT_TRUE(seen.ok() && seen->has_value());
  auto from_target = journal_->FindLink({"i", "dst", "copy-of-a"});
  ASSERT_TRUE(from_target.ok() && from_target->has_value());
  auto stored = store_->FindLink(Key("a"));
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value()) << "written before the commit";

  ASSERT_TRUE(journal_->CommitBatch().ok());
  stored = store_->FindLink(Key("a"));
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->has_value());
  EXPECT_TRUE(Pending().empty()) << "the group goes with the links";
}

TEST_F(WriteJournalTest, ACreateTheGroupRecordedIsTakenOnceAndClearedByTheCommit) {
  ASSERT_TRUE(Begin({"a"}, {}).ok());
  EXPECT_TRUE(journal_->TakeRecordedCreate(Key("a")));
  EXPECT_FALSE(journal_->TakeRecordedCreate(Key("a")));
  WriteJournal::Entry entry;
  ASSERT_TRUE(journal_->Start(Key("a"), &entry).ok());
  journal_->ClearPending(&entry, "");
  ASSERT_TRUE(journal_->Save(LinkOf("a"), &entry).ok());
  ASSERT_TRUE(journal_->CommitBatch().ok());
  EXPECT_FALSE(journal_->MayBePending(Key("a"), ""));
  EXPECT_TRUE(Pending().empty());
}

TEST_F(WriteJournalTest, ACreateTriedAndNotLandedKeepsARecordOfItsOwn) {
  ASSERT_TRUE(Begin({"a", "b"}, {}).ok());
  EXPECT_TRUE(journal_->TakeRecordedCreate(Key("a")));  // Tried; it failed.
  ASSERT_TRUE(journal_->CommitBatch().ok());           // "b" was never tried.
  const auto pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].id, "a");
  EXPECT_EQ(pending[0].kind, ferry::v1::PendingWrite::KIND_CREATE);
  Restart();
  EXPECT_TRUE(journal_->MayBePending(Key("a"), ""));
  EXPECT_FALSE(journal_->MayBePending(Key("b"), ""));
}

TEST_F(WriteJournalTest, AfterACrashTheGroupIsSplitAndItsMarksAreKnown) {
  ASSERT_TRUE(Begin({"new"}, {"old"}).ok());
  Restart();  // The batch never committed.
  EXPECT_TRUE(journal_->MayBePending(Key("new"), ""));
  EXPECT_TRUE(journal_->IsSuspect(Key("old")));
  EXPECT_FALSE(journal_->IsSuspect(Key("new")));

  // Split: each member can now be cleared by itself.
  WriteJournal::Entry entry;
  ASSERT_TRUE(journal_->Start(Key("new"), &entry).ok());
  journal_->ClearPending(&entry, "");
  ASSERT_TRUE(journal_->Save(LinkOf("new"), &entry).ok());
  const auto pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].id, "old");
  EXPECT_FALSE(journal_->MayBePending(Key("new"), ""));
}

TEST_F(WriteJournalTest, OutsideABatchAChangeIsMarkedUntilItsLinkIsSaved) {
  WriteJournal::Entry entry;
  ASSERT_TRUE(journal_->Start(Key("a"), &entry).ok());
  auto pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].kind, ferry::v1::PendingWrite::KIND_UPDATE);
  Restart();
  EXPECT_TRUE(journal_->IsSuspect(Key("a")));

  WriteJournal::Entry again;
  ASSERT_TRUE(journal_->Start(Key("a"), &again).ok());
  ASSERT_TRUE(journal_->Save(LinkOf("a"), &again).ok());
  EXPECT_TRUE(Pending().empty());
  EXPECT_FALSE(journal_->IsSuspect(Key("a")));
}

TEST_F(WriteJournalTest, APendingCommentStaysKnownUntilItsClearingIsDurable) {
  ferry::v1::PendingWrite comment;
  comment.set_kind(ferry::v1::PendingWrite::KIND_COMMENT);
  comment.set_origin("ferry:i:src:a/comment/c1");
  ASSERT_TRUE(journal_->RecordPending(Key("a"), "src/c1", comment).ok());
  Restart();
  ASSERT_TRUE(journal_->MayBePending(Key("a"), "src/c1"));

  ASSERT_TRUE(Begin({}, {"a"}).ok());
  WriteJournal::Entry entry;
  ASSERT_TRUE(journal_->Start(Key("a"), &entry).ok());
  journal_->ClearPending(&entry, "src/c1");
  ASSERT_TRUE(journal_->Save(LinkOf("a"), &entry).ok());
  EXPECT_TRUE(journal_->MayBePending(Key("a"), "src/c1")) << "not yet committed";
  ASSERT_TRUE(journal_->CommitBatch().ok());
  EXPECT_FALSE(journal_->MayBePending(Key("a"), "src/c1"));
  EXPECT_TRUE(Pending().empty());
}

}  // namespace
}  // namespace ferry::engine
