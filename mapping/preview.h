#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "mapping/criteria.h"
#include "mapping/mapper.h"
#include "mapping/sync_decision.h"
#include "proto/config.pb.h"
#include "proto/entity.pb.h"
#include "proto/stages.pb.h"

namespace ferry::mapping {

// What the writer would know about the target of a change.
struct TargetSnapshot {
  // The target entity as it is now (linked, or found by the lookup);
  // nullptr when there is none and the change would create one.
  const ferry::v1::Entity* entity = nullptr;
  // True when the link table already pairs the source with a target.
  bool linked = false;
  // Fingerprints of the values last synced, by target field (link table).
  absl::flat_hash_map<std::string, uint64_t> last_synced;
  // Source comment ids already posted to the target (link table).
  absl::flat_hash_set<std::string> posted_comment_ids;
};

// One field of a preview.
struct FieldPreview {
  std::string source_field;
  std::string target_field;
  // The source value, and the value that would be written (unset clears);
  // `value` is empty when mapping failed.
  ferry::v1::FieldValue source_value;
  std::optional<ferry::v1::FieldValue> value;
  // The writer's decision; nullopt when mapping failed (see `error`).
  std::optional<FieldOutcome> outcome;
  std::string error;
};

// One comment of a preview.
struct CommentPreview {
  ferry::v1::CommentWrite comment;
  // False when it was posted before.
  bool post = false;
};

// Exactly what a change would write to the target, and why, without
// writing anything.
struct Preview {
  CriteriaDecision criteria = CriteriaDecision::kSync;
  // True when no target exists and one would be created.
  bool creating = false;
  // The filled target lookup query, or why it could not be filled.
  std::string target_lookup_query;
  std::string target_lookup_error;
  std::vector<FieldPreview> fields;
  std::vector<CommentPreview> comments;
};

// Runs `mapper` and the writer's decisions on `change` against `target`,
// under the integration's conflict policy and criteria storage setting.
// As in the writer, the target's current values decide an update only
// under a policy that reads them (ReadsTargetBeforeUpdate); under
// SOURCE_WINS and NEWEST_WINS the link's last synced values decide.
// Every field is reported, including those that fail to map. Pure and
// thread-safe; writes nothing.
Preview PreviewChange(const Mapper& mapper, const ferry::v1::ChangeEvent& change,
                      const TargetSnapshot& target, ferry::v1::ConflictPolicy policy,
                      bool stop_when_unmatched);

// The preview as lines a person reads, one per field and comment:
//   Status → status: "acknowledged" → "In Progress": written: the source value changed
// Deterministic.
std::string PreviewToText(const Preview& preview);

}  // namespace ferry::mapping
