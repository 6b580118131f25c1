#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/config.pb.h"
#include "proto/entity.pb.h"
#include "proto/stages.pb.h"

namespace ferry::mapping {

// The writer's pure decisions about one intended field write, made once it
// knows the target entity's state. Values are compared by Fingerprint
// (field_value.h) of the value as written to the target; the link table
// keeps the fingerprint of the last value synced for each target field.

// Whether a write tagged `sync_when` applies when the target entity is
// being created (`creating`) or updated.
bool SyncWhenApplies(ferry::v1::SyncWhen sync_when, bool creating);

// What the writer knows about one target field.
struct FieldSyncState {
  // True when the target entity does not exist yet and is being created.
  bool creating = false;
  // The target field's current value; nullptr when unknown.
  const ferry::v1::FieldValue* target_value = nullptr;
  // Fingerprint of the value last synced into this field (link table);
  // nullopt when the field was never synced.
  std::optional<uint64_t> last_synced;
  // When the source and the target last changed (for NEWEST_WINS).
  absl::Time source_changed_at = absl::InfinitePast();
  absl::Time target_changed_at = absl::InfinitePast();
};

// When the source last changed `field`: the newest FieldChange of it in
// `change`, else when the entity last changed. For NEWEST_WINS.
absl::Time SourceChangedAt(const ferry::v1::ChangeEvent& change, absl::string_view field);

// What to do with one field write, and why.
enum class FieldOutcome {
  // Write: the target is being created.
  kWriteCreate,
  // Write: the source changed and the target did not.
  kWriteChanged,
  // Write: both changed; the policy (source wins or newest wins) chose the
  // source.
  kWriteConflictSourceWins,
  // Skip: sync_when does not cover this create or update.
  kSkipSyncWhen,
  // Skip: the value equals what Ferry last synced, so the source did not
  // change it (an echo of Ferry's own write, or another field's change).
  kSkipEcho,
  // Skip: the target already holds this value.
  kSkipAlreadyEqual,
  // Skip: both changed; the policy (target wins or newest wins) chose the
  // target.
  kSkipConflictTargetWins,
  // Skip: the source cleared a field the target system cannot unset
  // (FieldWrite.cannot_clear says why, from SystemSchema::cannot_clear);
  // the target keeps its value.
  kSkipCannotClear,
  // Park the change as a failure: both changed and the policy is
  // RAISE_FAILURE.
  kConflictRaised,
};

// True for the kWrite… outcomes.
bool IsWrite(FieldOutcome outcome);

// A sentence explaining `outcome`, for previews, skip details and failures.
absl::string_view Explain(FieldOutcome outcome);

// True when `policy` reads the target before an update that is not an
// echo: TARGET_WINS and RAISE_FAILURE, which promise never to overwrite a
// target change. SOURCE_WINS never lets the target win, and NEWEST_WINS
// decides from the link (the values last synced), reading the target only
// when the target refuses the write (docs/writer.md, "Conflicts").
bool ReadsTargetBeforeUpdate(ferry::v1::ConflictPolicy policy);

// Decides one field write:
//   1. sync_when must apply (create or update);
//   2. on create, write;
//   3. equal to the last synced value → echo, skip;
//   4. equal to the target's current value → skip; a clear of a field the
//      target cannot unset (FieldWrite.cannot_clear) → skip;
//   5. the target changed since the last sync too → conflict, per `policy`
//      (NEWEST_WINS compares the change times; a tie goes to the source);
//   6. otherwise write.
// Pure and thread-safe.
FieldOutcome DecideFieldWrite(const ferry::v1::FieldWrite& write, const FieldSyncState& state,
                              ferry::v1::ConflictPolicy policy);

// The comments of `comments` not yet posted: those whose source comment id
// is not in `posted_ids` (the link table's comment id pairs), in order.
std::vector<ferry::v1::CommentWrite> UnpostedComments(
    const google::protobuf::RepeatedPtrField<ferry::v1::CommentWrite>& comments,
    const absl::flat_hash_set<std::string>& posted_ids);

}  // namespace ferry::mapping
