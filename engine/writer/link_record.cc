#include "engine/writer/link_record.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "mapping/field_value.h"

namespace ferry::engine {

std::string SyncedKey(absl::string_view system, absl::string_view field) {
  return absl::StrCat(system, "/", field);
}

std::string OriginOf(const EntityKey& entity) {
  return absl::StrCat("ferry:", entity.integration, ":", entity.system, ":",
                      entity.id);
}

std::string CommentOriginOf(const EntityKey& entity,
                            absl::string_view comment_id) {
  return absl::StrCat(OriginOf(entity), "/comment/", comment_id);
}

EntityRef CounterpartOf(const ferry::v1::Link& link, absl::string_view system,
                        absl::string_view id) {
  const bool from_source = link.source_system() == system && link.source_id() == id;
  return from_source ? EntityRef{link.target_id(), link.target_key(), ""}
                     : EntityRef{link.source_id(), link.source_key(), ""};
}

void RecordSynced(const ferry::v1::WriteIntent& intent,
                  const std::vector<ferry::v1::FieldWrite>& writes,
                  ferry::v1::Link* link) {
  const auto& entity = intent.change().entity();
  auto& synced = *link->mutable_last_synced();
  for (const auto& write : writes) {
    synced[SyncedKey(intent.target_system(), write.target_field())] =
        write.value();
    auto source_value = entity.fields().find(write.source_field());
    if (source_value != entity.fields().end()) {
      synced[SyncedKey(entity.system(), write.source_field())] =
          source_value->second;
    }
  }
}

absl::flat_hash_set<std::string> HandledCommentIds(const ferry::v1::Link& link,
                                                   absl::string_view from_system) {
  absl::flat_hash_set<std::string> handled;
  for (const auto& pair : link.comments()) {
    // Pairs written before comments named their side count on both.
    if (pair.source_system().empty() || pair.source_system() == from_system) {
      handled.insert(pair.source_comment_id());
    }
    if (pair.source_system() != from_system) {
      handled.insert(pair.target_comment_id());
    }
  }
  return handled;
}

absl::flat_hash_map<std::string, uint64_t> LastSyncedFingerprints(
    const ferry::v1::Link& link, absl::string_view system) {
  absl::flat_hash_map<std::string, uint64_t> fingerprints;
  const std::string prefix = SyncedKey(system, "");
  for (const auto& [key, value] : link.last_synced()) {
    if (absl::StartsWith(key, prefix)) {
      fingerprints[key.substr(prefix.size())] = mapping::Fingerprint(value);
    }
  }
  return fingerprints;
}

mapping::TargetSnapshot SnapshotFromLink(const ferry::v1::Link& link,
                                         absl::string_view from_system,
                                         const ferry::v1::Entity* current) {
  const bool from_source = link.source_system() == from_system;
  const std::string& target_system =
      from_source ? link.target_system() : link.source_system();
  mapping::TargetSnapshot snapshot;
  snapshot.linked = true;
  snapshot.entity = current;
  snapshot.last_synced = LastSyncedFingerprints(link, target_system);
  snapshot.posted_comment_ids = HandledCommentIds(link, from_system);
  return snapshot;
}

}  // namespace ferry::engine
