#include "mapping/sync_decision.h"

#include <algorithm>

#include "mapping/field_value.h"

namespace ferry::mapping {

bool SyncWhenApplies(ferry::v1::SyncWhen sync_when, bool creating) {
  switch (sync_when) {
    case ferry::v1::SYNC_WHEN_CREATE: return creating;
    case ferry::v1::SYNC_WHEN_UPDATE: return !creating;
    default: return true;
  }
}

absl::Time SourceChangedAt(const ferry::v1::ChangeEvent& change, absl::string_view field) {
  absl::Time newest = absl::InfinitePast();
  for (const ferry::v1::FieldChange& field_change : change.changes()) {
    if (field_change.field() == field && field_change.has_changed_at()) {
      newest = std::max(newest, ToTime(field_change.changed_at()));
    }
  }
  return newest != absl::InfinitePast() ? newest : ToTime(change.entity().updated_at());
}

bool IsWrite(FieldOutcome outcome) {
  return outcome == FieldOutcome::kWriteCreate || outcome == FieldOutcome::kWriteChanged ||
         outcome == FieldOutcome::kWriteConflictSourceWins;
}

absl::string_view Explain(FieldOutcome outcome) {
  switch (outcome) {
    case FieldOutcome::kWriteCreate: return "written: the target entity is being created";
    case FieldOutcome::kWriteChanged: return "written: the source value changed";
    case FieldOutcome::kWriteConflictSourceWins:
      return "written: both sides changed since the last sync and the conflict policy chose the "
             "source";
    case FieldOutcome::kSkipSyncWhen:
      return "skipped: the field's sync_when does not cover this create or update";
    case FieldOutcome::kSkipEcho:
      return "skipped: the value equals what Ferry last synced (no change on the source side)";
    case FieldOutcome::kSkipAlreadyEqual: return "skipped: the target already has this value";
    case FieldOutcome::kSkipConflictTargetWins:
      return "skipped: both sides changed since the last sync and the conflict policy chose the "
             "target";
    case FieldOutcome::kSkipCannotClear:
      return "not written: the source cleared it and the target system cannot unset it; the "
             "target keeps its value";
    case FieldOutcome::kConflictRaised:
      return "conflict: both sides changed since the last sync and the conflict policy is "
             "RAISE_FAILURE; a person must decide (reprocess or skip the failure)";
  }
  return "";
}

FieldOutcome DecideFieldWrite(const ferry::v1::FieldWrite& write, const FieldSyncState& state,
                              ferry::v1::ConflictPolicy policy) {
  if (!SyncWhenApplies(write.sync_when(), state.creating)) return FieldOutcome::kSkipSyncWhen;
  if (state.creating) return FieldOutcome::kWriteCreate;
  const uint64_t wanted = Fingerprint(write.value());
  if (state.last_synced.has_value() && *state.last_synced == wanted) {
    return FieldOutcome::kSkipEcho;
  }
  if (state.target_value != nullptr && Fingerprint(*state.target_value) == wanted) {
    return FieldOutcome::kSkipAlreadyEqual;
  }
  if (!write.cannot_clear().empty() &&
      write.value().kind_case() == ferry::v1::FieldValue::KIND_NOT_SET) {
    return FieldOutcome::kSkipCannotClear;
  }
  const bool target_changed = state.last_synced.has_value() && state.target_value != nullptr &&
                              Fingerprint(*state.target_value) != *state.last_synced;
  if (!target_changed) return FieldOutcome::kWriteChanged;
  switch (policy) {
    case ferry::v1::CONFLICT_POLICY_TARGET_WINS: return FieldOutcome::kSkipConflictTargetWins;
    case ferry::v1::CONFLICT_POLICY_NEWEST_WINS:
      return state.target_changed_at > state.source_changed_at
                 ? FieldOutcome::kSkipConflictTargetWins
                 : FieldOutcome::kWriteConflictSourceWins;
    case ferry::v1::CONFLICT_POLICY_RAISE_FAILURE: return FieldOutcome::kConflictRaised;
    default: return FieldOutcome::kWriteConflictSourceWins;
  }
}

bool ReadsTargetBeforeUpdate(ferry::v1::ConflictPolicy policy) {
  return policy == ferry::v1::CONFLICT_POLICY_TARGET_WINS ||
         policy == ferry::v1::CONFLICT_POLICY_RAISE_FAILURE;
}

std::vector<ferry::v1::CommentWrite> UnpostedComments(
    const google::protobuf::RepeatedPtrField<ferry::v1::CommentWrite>& comments,
    const absl::flat_hash_set<std::string>& posted_ids) {
  std::vector<ferry::v1::CommentWrite> unposted;
  for (const ferry::v1::CommentWrite& comment : comments) {
    if (!posted_ids.contains(comment.source_comment_id())) unposted.push_back(comment);
  }
  return unposted;
}

}  // namespace ferry::mapping
