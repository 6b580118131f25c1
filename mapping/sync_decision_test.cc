#include "mapping/sync_decision.h"

#include "gtest/gtest.h"
#include "mapping/field_value.h"

namespace ferry::mapping {
namespace {

using ferry::v1::ConflictPolicy;
using ferry::v1::FieldValue;
using ferry::v1::FieldWrite;

FieldWrite Write(absl::string_view value, ferry::v1::SyncWhen sync_when) {
  FieldWrite write;
  write.set_target_field("summary");
  *write.mutable_value() = TextValue(value);
  write.set_sync_when(sync_when);
  return write;
}

TEST(SyncDecisionTest, SyncWhenCoversCreateUpdateOrBoth) {
  EXPECT_TRUE(SyncWhenApplies(ferry::v1::SYNC_WHEN_ALWAYS, true));
  EXPECT_TRUE(SyncWhenApplies(ferry::v1::SYNC_WHEN_ALWAYS, false));
  EXPECT_TRUE(SyncWhenApplies(ferry::v1::SYNC_WHEN_CREATE, true));
  EXPECT_FALSE(SyncWhenApplies(ferry::v1::SYNC_WHEN_CREATE, false));
  EXPECT_FALSE(SyncWhenApplies(ferry::v1::SYNC_WHEN_UPDATE, true));
  EXPECT_TRUE(SyncWhenApplies(ferry::v1::SYNC_WHEN_UPDATE, false));
}

TEST(SyncDecisionTest, DecidesEachFieldWrite) {
  const FieldValue old_value = TextValue("old");
  const FieldValue new_value = TextValue("new");
  const FieldValue theirs = TextValue("theirs");
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  const absl::Time t1 = absl::FromUnixSeconds(2000);
  struct Case {
    const char* name;
    ferry::v1::SyncWhen sync_when;
    bool creating;
    const FieldValue* target;
    std::optional<uint64_t> last_synced;
    ConflictPolicy policy;
    absl::Time source_at, target_at;
    FieldOutcome want;
  };
  const auto fp = [](const FieldValue& v) { return std::optional<uint64_t>(Fingerprint(v)); };
  const ConflictPolicy kSource = ferry::v1::CONFLICT_POLICY_SOURCE_WINS;
  const Case cases[] = {
      {"create", ferry::v1::SYNC_WHEN_ALWAYS, true, nullptr, std::nullopt, kSource, t0, t0,
       FieldOutcome::kWriteCreate},
      {"create-only on update", ferry::v1::SYNC_WHEN_CREATE, false, &old_value, fp(old_value),
       kSource, t0, t0, FieldOutcome::kSkipSyncWhen},
      {"update-only on create", ferry::v1::SYNC_WHEN_UPDATE, true, nullptr, std::nullopt, kSource,
       t0, t0, FieldOutcome::kSkipSyncWhen},
      {"echo of last write", ferry::v1::SYNC_WHEN_ALWAYS, false, &theirs, fp(new_value), kSource,
       t0, t0, FieldOutcome::kSkipEcho},
      {"already equal", ferry::v1::SYNC_WHEN_ALWAYS, false, &new_value, fp(old_value), kSource, t0,
       t0, FieldOutcome::kSkipAlreadyEqual},
      {"source changed only", ferry::v1::SYNC_WHEN_ALWAYS, false, &old_value, fp(old_value),
       kSource, t0, t0, FieldOutcome::kWriteChanged},
      {"never synced, target unknown", ferry::v1::SYNC_WHEN_ALWAYS, false, nullptr, std::nullopt,
       kSource, t0, t0, FieldOutcome::kWriteChanged},
      {"conflict, source wins", ferry::v1::SYNC_WHEN_ALWAYS, false, &theirs, fp(old_value),
       kSource, t0, t1, FieldOutcome::kWriteConflictSourceWins},
      {"conflict, target wins", ferry::v1::SYNC_WHEN_ALWAYS, false, &theirs, fp(old_value),
       ferry::v1::CONFLICT_POLICY_TARGET_WINS, t1, t0, FieldOutcome::kSkipConflictTargetWins},
      {"conflict, newest is target", ferry::v1::SYNC_WHEN_ALWAYS, false, &theirs, fp(old_value),
       ferry::v1::CONFLICT_POLICY_NEWEST_WINS, t0, t1, FieldOutcome::kSkipConflictTargetWins},
      {"conflict, newest is source", ferry::v1::SYNC_WHEN_ALWAYS, false, &theirs, fp(old_value),
       ferry::v1::CONFLICT_POLICY_NEWEST_WINS, t1, t0, FieldOutcome::kWriteConflictSourceWins},
      {"conflict, tie goes to source", ferry::v1::SYNC_WHEN_ALWAYS, false, &theirs, fp(old_value),
       ferry::v1::CONFLICT_POLICY_NEWEST_WINS, t0, t0, FieldOutcome::kWriteConflictSourceWins},
      {"conflict, raise failure", ferry::v1::SYNC_WHEN_ALWAYS, false, &theirs, fp(old_value),
       ferry::v1::CONFLICT_POLICY_RAISE_FAILURE, t1, t0, FieldOutcome::kConflictRaised},
  };
  for (const Case& c : cases) {
    FieldSyncState state;
    state.creating = c.creating;
    state.target_value = c.target;
    state.last_synced = c.last_synced;
    state.source_changed_at = c.source_at;
    state.target_changed_at = c.target_at;
    const FieldOutcome got = DecideFieldWrite(Write("new", c.sync_when), state, c.policy);
    EXPECT_EQ(got, c.want) << c.name << ": " << Explain(got);
  }
}

TEST(SyncDecisionTest, AClearOfAFieldTheTargetCannotUnsetIsNotWritten) {
  FieldWrite clear;
  clear.set_target_field("Conference URL");
  clear.set_cannot_clear("PagerDuty cannot unset it");
  const FieldValue current = TextValue("https://meet/x");
  FieldSyncState state;
  state.target_value = &current;
  state.last_synced = Fingerprint(current);
  const ConflictPolicy policy = ferry::v1::CONFLICT_POLICY_SOURCE_WINS;
  EXPECT_EQ(DecideFieldWrite(clear, state, policy), FieldOutcome::kSkipCannotClear);
  EXPECT_FALSE(IsWrite(FieldOutcome::kSkipCannotClear));
  // A value is written as usual; a field the target can unset is cleared.
  FieldWrite set = clear;
  *set.mutable_value() = TextValue("https://meet/y");
  EXPECT_EQ(DecideFieldWrite(set, state, policy), FieldOutcome::kWriteChanged);
  clear.clear_cannot_clear();
  EXPECT_EQ(DecideFieldWrite(clear, state, policy), FieldOutcome::kWriteChanged);
}

TEST(SyncDecisionTest, SourceChangeTimeIsTheFieldsNewestChange) {
  ferry::v1::ChangeEvent change;
  change.mutable_entity()->mutable_updated_at()->set_seconds(5000);
  ferry::v1::FieldChange* title = change.add_changes();
  title->set_field("Title");
  title->mutable_changed_at()->set_seconds(4000);
  ferry::v1::FieldChange* later = change.add_changes();
  later->set_field("Title");
  later->mutable_changed_at()->set_seconds(4500);
  change.add_changes()->set_field("Status");  // no time: the entity's
  EXPECT_EQ(SourceChangedAt(change, "Title"), absl::FromUnixSeconds(4500));
  EXPECT_EQ(SourceChangedAt(change, "Status"), absl::FromUnixSeconds(5000));
  EXPECT_EQ(SourceChangedAt(change, "Priority"), absl::FromUnixSeconds(5000));
}

TEST(SyncDecisionTest, OnlyWriteOutcomesWrite) {
  EXPECT_TRUE(IsWrite(FieldOutcome::kWriteCreate));
  EXPECT_TRUE(IsWrite(FieldOutcome::kWriteConflictSourceWins));
  EXPECT_FALSE(IsWrite(FieldOutcome::kSkipEcho));
  EXPECT_FALSE(IsWrite(FieldOutcome::kConflictRaised));
  EXPECT_NE(Explain(FieldOutcome::kConflictRaised).find("RAISE_FAILURE"), absl::string_view::npos);
}

TEST(SyncDecisionTest, EachCommentIsPostedOnce) {
  google::protobuf::RepeatedPtrField<ferry::v1::CommentWrite> comments;
  comments.Add()->set_source_comment_id("N1");
  comments.Add()->set_source_comment_id("N2");
  comments.Add()->set_source_comment_id("N3");
  const std::vector<ferry::v1::CommentWrite> unposted = UnpostedComments(comments, {"N2"});
  ASSERT_EQ(unposted.size(), 2u);
  EXPECT_EQ(unposted[0].source_comment_id(), "N1");
  EXPECT_EQ(unposted[1].source_comment_id(), "N3");
}

}  // namespace
}  // namespace ferry::mapping
