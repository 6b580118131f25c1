#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/state/state_store.h"
#include "proto/control.pb.h"
#include "proto/state.pb.h"

namespace ferry::engine {

// The writer's journal for one integration: what it records in the state
// store around end-system calls so that a crash (kill -9 at any point)
// neither loses a write nor makes one twice (docs/writer.md, "The journal
// and the crash protocol").
//
//   - A pending record is durable before every end-system call that makes
//     something (a create, a comment): after a crash it says "this may have
//     landed", and the next attempt asks the end system for the write's
//     origin marker before making it again.
//   - A batch (BeginBatch .. CommitBatch) writes one pending group before
//     its first call: a create record for each entity the batch will surely
//     create, and a "being written" mark for every other entity, whose
//     last-synced values a crash makes untrustworthy (the write may have
//     landed without its link). CommitBatch writes the batch's links, the
//     deletion of its group and of the records it cleared in one atomic
//     state write, before the stage acks the batch (the reader's
//     checkpoint moves only past acked batches).
//   - On first use (Load) the groups a crash left are split into records of
//     their own, so each can be cleared by itself; the journal then keeps
//     the records it knows of in memory and reads none per change.
//
// Between BeginBatch and CommitBatch the journal is an overlay: FindLink
// sees the batch's uncommitted links before the store's.
//
// The journal must be the only writer of its integration's links and
// pending records while it exists. Thread-compatible. A non-OK status is
// the state store's error; what a failed write may have left is still
// treated as possibly pending.
class WriteJournal {
 public:
  // What one change's writes leave to record with its link.
  struct Entry {
    EntityKey key;
    // Written with the link by Save.
    StateStore::Batch batch;
    // The pending records `batch` deletes, forgotten once it is durable.
    std::vector<std::string> cleared;
  };

  // Whether the change of `entity` (linked or not) in a batch will create
  // its target unless an end system fails first.
  using WillCreate = std::function<bool(const EntityKey& entity, bool linked)>;

  // `store` must outlive the journal; `clock` stamps the records.
  WriteJournal(std::string integration, StateStore* store,
               std::function<absl::Time()> clock);

  // Reads what a crash left, once: splits the pending groups and learns
  // the pending records and the "being written" marks. Later calls return
  // OK at once. Every method below needs it done.
  absl::Status Load();

  // Opens a batch over `entities` (each once, in the batch's order): reads
  // their links and writes the batch's pending group, one state write.
  absl::Status BeginBatch(const std::vector<EntityKey>& entities,
                          const WillCreate& will_create);
  // Writes what the batch's changes saved and deletes its group, in one
  // state write, with `also` (the applier's counters); a create the group
  // recorded that was tried and did not land for sure keeps a record of
  // its own. OK, writing nothing, when no batch is open.
  absl::Status CommitBatch(StateStore::Batch also = StateStore::Batch());
  bool in_batch() const { return open_batch_.has_value(); }

  // Starts the record of a change of `entity`. Outside a batch this marks
  // the entity as being written first (one state write), the mark deleted
  // with its link by Save.
  absl::Status Start(const EntityKey& entity, Entry* entry);
  // Records `link` and the entry's writes: into the open batch, or at once
  // when none is open.
  absl::Status Save(const ferry::v1::Link& link, Entry* entry);

  // The link of an entity: the open batch's uncommitted one, else the
  // store's (read for the whole batch by BeginBatch).
  absl::StatusOr<std::optional<ferry::v1::Link>> FindLink(
      const EntityKey& entity) const;

  // True once per entity whose create the open batch's group recorded: the
  // create needs no record of its own, and nothing was left before it.
  bool TakeRecordedCreate(const EntityKey& entity);
  // Whether a crash or a failed call may have left the pending record of
  // the entity and `sub` ("" for its create), so the write may have landed.
  bool MayBePending(const EntityKey& entity, absl::string_view sub) const;
  // Writes a pending record before an end-system call: `record` for `sub`,
  // or the entity's create record (its origin marker, started now).
  absl::Status RecordPending(const EntityKey& entity, absl::string_view sub,
                             const ferry::v1::PendingWrite& record);
  absl::Status RecordCreate(const EntityKey& entity);
  // The write of `sub` landed: its record goes with the entry's link (with
  // the open group, when the group holds it).
  void ClearPending(Entry* entry, absl::string_view sub);
  // Whether a crash came between a write of `entity` and its record: the
  // link's last-synced values may not be what the end system holds.
  bool IsSuspect(const EntityKey& entity) const;

 private:
  void Forget(const std::vector<std::string>& tags);

  const std::string integration_;
  StateStore* const store_;
  const std::function<absl::Time()> clock_;
  bool loaded_ = false;

  // Between BeginBatch and CommitBatch: the writes, and the links they
  // hold by "system\nid" of both sides.
  std::optional<StateStore::Batch> open_batch_;
  absl::flat_hash_map<std::string, ferry::v1::Link> open_links_;
  // Between BeginBatch and CommitBatch: the store's links of the batch's
  // entities (nullopt: none), the creates the group recorded that have
  // not been tried yet, and the pending records the open batch deletes.
  absl::flat_hash_map<std::string, std::optional<ferry::v1::Link>> stored_links_;
  absl::flat_hash_map<std::string, EntityKey> recorded_creates_;
  std::vector<std::string> open_cleared_;
  // Between BeginBatch and CommitBatch: when the group was written, and the
  // creates it holds whose record is not yet cleared.
  absl::Time open_group_started_;
  absl::flat_hash_map<std::string, EntityKey> group_creates_;
  // The last group number used: groups a crash leaves are split on Load,
  // so numbers need only be unique within this journal's life.
  uint64_t last_group_ = 0;
  // Pending records of creates and comments ("system\nid\nsub") that may
  // be in the store: those found by Load and those written since, until
  // their deletion is committed.
  absl::flat_hash_set<std::string> pending_;
  // Entities ("system\nid") a crash left marked as being written: their
  // last-synced values are ignored until their next change is recorded.
  absl::flat_hash_set<std::string> suspect_;
};

}  // namespace ferry::engine
