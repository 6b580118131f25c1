#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "engine/connector/connector.h"
#include "engine/state/state_store.h"
#include "mapping/preview.h"
#include "proto/control.pb.h"
#include "proto/stages.pb.h"

// How the writer reads and writes a Link record (proto/control.proto), in
// one place: the writer's steps and the control API's preview must agree
// on what a link says was synced and posted, or the preview would promise
// writes the writer then suppresses. Pure functions; thread-safe.
namespace ferry::engine {

// The key a field's last synced value is kept under in Link.last_synced:
// "<system>/<field>".
std::string SyncedKey(absl::string_view system, absl::string_view field);

// The marker a create carries ("ferry:<integration>:<system>:<id>"), so a
// crash between the call and the link record can be recovered by asking
// the end system for the entity carrying it.
std::string OriginOf(const EntityKey& entity);

// The marker of the copy of comment `comment_id` posted for `entity`.
std::string CommentOriginOf(const EntityKey& entity, absl::string_view comment_id);

// The entity `link` pairs with the entity `id` of `system` (the other
// side), by id and key; its URL is not kept in the link.
EntityRef CounterpartOf(const ferry::v1::Link& link, absl::string_view system,
                        absl::string_view id);

// Records in `link` what both sides now agree on after `writes` of
// `intent`: each written value under the target system, and the source
// value it came from under the source system.
void RecordSynced(const ferry::v1::WriteIntent& intent,
                  const std::vector<ferry::v1::FieldWrite>& writes,
                  ferry::v1::Link* link);

// The comment ids of `from_system` that need no post: comments copied
// from it, and the copies Ferry wrote into it from the other side (its own
// echoes).
absl::flat_hash_set<std::string> HandledCommentIds(const ferry::v1::Link& link,
                                                   absl::string_view from_system);

// Fingerprints (mapping::Fingerprint) of the values last synced to
// `system`, by field name.
absl::flat_hash_map<std::string, uint64_t> LastSyncedFingerprints(
    const ferry::v1::Link& link, absl::string_view system);

// What the writer knows of the target of a change of `from_system` whose
// entity `link` pairs: linked, its synced values and handled comments, and
// `current` (the target as it is now; must outlive the snapshot).
mapping::TargetSnapshot SnapshotFromLink(const ferry::v1::Link& link,
                                         absl::string_view from_system,
                                         const ferry::v1::Entity* current);

}  // namespace ferry::engine
