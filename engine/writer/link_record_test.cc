#include "engine/writer/link_record.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mapping/field_value.h"

namespace ferry::engine {
namespace {

using ::testing::UnorderedElementsAre;

ferry::v1::FieldValue Text(const std::string& text) {
  ferry::v1::FieldValue value;
  value.set_text(text);
  return value;
}

// src "S1" (key "SRC-1") linked to dst "D1" (key "DST-1").
ferry::v1::Link PairedLink() {
  ferry::v1::Link link;
  link.set_integration("i");
  link.set_source_system("src");
  link.set_source_id("S1");
  link.set_source_key("SRC-1");
  link.set_target_system("dst");
  link.set_target_id("D1");
  link.set_target_key("DST-1");
  return link;
}

TEST(LinkRecordTest, OriginsNameTheIntegrationSystemAndEntity) {
  const EntityKey entity{"i", "src", "S1"};
  EXPECT_EQ(OriginOf(entity), "ferry:i:src:S1");
  EXPECT_EQ(CommentOriginOf(entity, "c7"), "ferry:i:src:S1/comment/c7");
  EXPECT_EQ(SyncedKey("dst", "Title"), "dst/Title");
}

TEST(LinkRecordTest, TheCounterpartIsTheOtherSideFromEither) {
  const ferry::v1::Link link = PairedLink();
  const EntityRef from_source = CounterpartOf(link, "src", "S1");
  EXPECT_EQ(from_source.id, "D1");
  EXPECT_EQ(from_source.key, "DST-1");
  const EntityRef from_target = CounterpartOf(link, "dst", "D1");
  EXPECT_EQ(from_target.id, "S1");
  EXPECT_EQ(from_target.key, "SRC-1");
}

TEST(LinkRecordTest, RecordSyncedKeepsBothSidesValues) {
  ferry::v1::WriteIntent intent;
  intent.set_target_system("dst");
  auto* entity = intent.mutable_change()->mutable_entity();
  entity->set_system("src");
  (*entity->mutable_fields())["Name"] = Text("db down");
  ferry::v1::FieldWrite write;
  write.set_source_field("Name");
  write.set_target_field("Title");
  *write.mutable_value() = Text("DB DOWN");
  ferry::v1::Link link = PairedLink();
  RecordSynced(intent, {write}, &link);
  EXPECT_EQ(link.last_synced().at("dst/Title").text(), "DB DOWN");
  EXPECT_EQ(link.last_synced().at("src/Name").text(), "db down");
}

TEST(LinkRecordTest, HandledCommentsAreCopiesFromASideAndEchoesIntoIt) {
  ferry::v1::Link link = PairedLink();
  auto add = [&](const std::string& from, const std::string& source_id,
                 const std::string& target_id) {
    auto* pair = link.add_comments();
    pair->set_source_system(from);
    pair->set_source_comment_id(source_id);
    pair->set_target_comment_id(target_id);
  };
  add("src", "s-copied", "d-copy");
  add("dst", "d-copied", "s-copy");
  add("", "old-source", "old-target");  // Written before pairs named a side.
  EXPECT_THAT(HandledCommentIds(link, "src"),
              UnorderedElementsAre("s-copied", "s-copy", "old-source", "old-target"));
  EXPECT_THAT(HandledCommentIds(link, "dst"),
              UnorderedElementsAre("d-copied", "d-copy", "old-source", "old-target"));
}

TEST(LinkRecordTest, ASnapshotFromALinkHoldsTheTargetSidesSyncedValues) {
  ferry::v1::Link link = PairedLink();
  (*link.mutable_last_synced())["dst/Title"] = Text("DB DOWN");
  (*link.mutable_last_synced())["src/Name"] = Text("db down");
  auto* pair = link.add_comments();
  pair->set_source_system("dst");
  pair->set_source_comment_id("d-copied");
  pair->set_target_comment_id("s-copy");
  ferry::v1::Entity current;

  const mapping::TargetSnapshot snapshot = SnapshotFromLink(link, "src", &current);
  EXPECT_TRUE(snapshot.linked);
  EXPECT_EQ(snapshot.entity, &current);
  ASSERT_EQ(snapshot.last_synced.size(), 1u);
  EXPECT_EQ(snapshot.last_synced.at("Title"), mapping::Fingerprint(Text("DB DOWN")));
  // Ferry's own copy in the source is no comment to post back.
  EXPECT_THAT(snapshot.posted_comment_ids, UnorderedElementsAre("s-copy"));

  const mapping::TargetSnapshot back = SnapshotFromLink(link, "dst", &current);
  ASSERT_EQ(back.last_synced.size(), 1u);
  EXPECT_EQ(back.last_synced.at("Name"), mapping::Fingerprint(Text("db down")));
  EXPECT_THAT(back.posted_comment_ids, UnorderedElementsAre("d-copied"));
}

}  // namespace
}  // namespace ferry::engine
