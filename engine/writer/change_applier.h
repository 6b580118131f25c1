#pragma once

#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/connector/connector.h"
#include "engine/pipeline/integration_plan.h"
#include "engine/state/state_store.h"
#include "proto/control.pb.h"
#include "proto/stages.pb.h"

namespace ferry::engine {

// The writer's work for one integration: applies each mapped change to the
// end system it is meant for, and records what it did so that repeating a
// change is harmless (DESIGN.md, "Pipeline" and "State").
//
// For each change, in order:
//   1. a change of an entity that has an open failure waits behind it
//      (parked), so per-entity order holds;
//   2. the criteria decide with the link table (once in sync, always in
//      sync, unless stop_when_unmatched);
//   3. the target entity is found: the link table, then a create left
//      pending by a crash (found by its origin marker), then the target
//      lookup query; else it is created, with a pending record written
//      before the call so a crash cannot create it twice;
//   4. field writes apply by sync_when; an update writes only fields whose
//      value differs from what was last synced (echo suppression), and with
//      any conflict policy but SOURCE_WINS reads the target first to find
//      fields both sides changed;
//   5. comments not yet posted are posted, each with a pending record and
//      an origin marker, so none is posted twice;
//   6. the target's id and URL are written back into the source when the
//      mapping's remote_entity asks (once: they are kept in the link);
//   7. the link, the synced values and the comment pairs are written in one
//      batch.
// An end system's error parks the change in the failure queue (with the
// system's words), retried with backoff up to the retry policy's attempts,
// then left for a person. Progress made before the error is kept. A retry
// writes the source entity's fields as they are then, not as parked: the
// parked values may since have been overwritten (by a person, or by Ferry
// from the other side), and writing them would undo the newer change.
//
// The applier must be the only writer of its integration's links and
// pending records while it exists (ferryd runs one per integration); it
// reads the pending records once, on first use, and then keeps track of
// them itself, so most changes cost no pending-record read.
//
// Thread-compatible: one thread applies an integration's changes at a time.
class ChangeApplier {
 public:
  // `writers` by system name: both systems of the integration (the source
  // one for the reverse flow and remote-entity write-back). Writers and
  // the store must outlive the applier.
  ChangeApplier(std::shared_ptr<const IntegrationPlan> plan, StateStore* store,
                absl::flat_hash_map<std::string, EntityWriter*> writers,
                std::function<absl::Time()> clock = absl::Now);

  // Applies one change. The outcome is WRITTEN, SKIPPED (with why) or
  // PARKED (with the error). A non-OK status means the state store failed:
  // nothing about the change was recorded, and it must be delivered again.
  absl::StatusOr<ferry::v1::ChangeOutcome> Apply(
      const ferry::v1::WriteIntent& intent);

  // Groups the state writes of the changes applied until CommitBatch() into
  // one atomic write (a stage batch: its links and its ack together). Until
  // then the applier reads its own uncommitted links. What must be durable
  // before an end-system call (pending records) and failures are still
  // written at once, so a crash before the commit repeats the batch
  // harmlessly.
  // Before any end-system call, in one state write of one record (a
  // pending group): records the creates the batch will surely make
  // (unlinked entities with no target lookup), so no create needs a state
  // write of its own; and marks every other entity of `batch` as being
  // written, so that after a crash its last-synced values are not trusted
  // to suppress a write. (An entity being created has no synced values,
  // and after a crash its create record leads to the copy, whose fields
  // are then all written.) CommitBatch deletes the group with the batch's
  // links; a create that was tried and failed keeps a record of its own.
  absl::Status BeginBatch(const ferry::v1::WriteBatch& batch);
  absl::Status CommitBatch();

  // Retries the failures whose next attempt is due, re-mapping their
  // changes with the current mapping. Returns their outcomes.
  absl::StatusOr<std::vector<ferry::v1::ChangeOutcome>> RetryDue();

  // Retries the selected failures now, whatever their attempts (a person
  // fixed the cause). Later changes of the same entities follow in order.
  absl::StatusOr<ferry::v1::FailureActionResponse> Reprocess(
      const ferry::v1::FailureSelector& selector);

  // Gives up on the selected failures; later changes of the same entities
  // are applied at once.
  absl::StatusOr<ferry::v1::FailureActionResponse> Skip(
      const ferry::v1::FailureSelector& selector);

  // Changes applied since the applier was made, by outcome.
  struct Counts {
    int64_t written = 0;
    int64_t skipped = 0;
    // Skipped changes by why: "criteria", "lookup" (the target lookup said
    // skip) or "unchanged" (echoes, sync_when, values already equal).
    std::map<std::string, int64_t> skipped_by_reason;
    int64_t parked = 0;
    absl::Time last_written = absl::InfinitePast();
  };
  Counts counts() const { return counts_; }

 private:
  struct Attempt;

  absl::StatusOr<ferry::v1::ChangeOutcome> ApplyInOrder(
      const ferry::v1::WriteIntent& intent);
  absl::StatusOr<ferry::v1::ChangeOutcome> ApplyUnlessBlocked(
      const ferry::v1::WriteIntent& intent);
  // Runs the steps; end-system errors land in `attempt`, not the status.
  absl::Status Write(const ferry::v1::WriteIntent& intent, Attempt* attempt);
  absl::Status FindOrCreateTarget(const ferry::v1::WriteIntent& intent,
                                  Attempt* attempt);
  absl::Status UpdateFields(const ferry::v1::WriteIntent& intent,
                            Attempt* attempt);
  // Posts the comments not yet in the link to `target` through `writer`.
  // Posts the `comments` of `from_system` not yet posted to `target`.
  absl::Status PostComments(
      const google::protobuf::RepeatedPtrField<ferry::v1::CommentWrite>& comments,
      const std::string& from_system, EntityWriter* writer,
      const EntityRef& target, Attempt* attempt);
  // Writes the target's id and URL back into the source entity, as the
  // mapping's remote_entity asks, once.
  absl::Status WriteBack(const ferry::v1::WriteIntent& intent,
                         Attempt* attempt);
  absl::StatusOr<ferry::v1::ChangeOutcome> Park(
      const ferry::v1::ChangeEvent& change, const std::string& error,
      int attempts);
  absl::StatusOr<ferry::v1::WriteIntent> Remap(
      const ferry::v1::ChangeEvent& change) const;
  // A parked change with its entity's fields as the source holds them now
  // (its comments as parked).
  absl::StatusOr<ferry::v1::ChangeEvent> Refreshed(
      const ferry::v1::ChangeEvent& change) const;
  // Retries an entity's failures in order from its first, until one fails
  // again. `force` ignores attempts and due times.
  absl::Status RunChain(const EntityKey& entity, bool force,
                        std::vector<ferry::v1::ChangeOutcome>* outcomes,
                        ferry::v1::FailureActionResponse* response);
  absl::StatusOr<std::vector<ferry::v1::Failure>> Select(
      const ferry::v1::FailureSelector& selector) const;
  absl::Duration Backoff(int attempts) const;
  int MaxAttempts() const;

  std::shared_ptr<const IntegrationPlan> plan_;
  StateStore* store_;
  absl::flat_hash_map<std::string, EntityWriter*> writers_;
  // Loads open_failures_ and suspect_ from the store on first use.
  absl::Status LoadState();
  // Marks the entity being written, for a change applied outside a batch.
  absl::Status MarkWriting(const EntityKey& entity, StateStore::Batch* after);
  // Adds `delta` to the open failures of an entity.
  void CountOpen(const std::string& system, const std::string& id, int delta);

  // The link of an entity: this batch's uncommitted one, else the store's
  // (read for the whole batch at BeginBatch).
  absl::StatusOr<std::optional<ferry::v1::Link>> FindLink(const EntityKey& entity) const;
  // Records the attempt's link and writes: into the open batch, or at once
  // when none is open.
  absl::Status SaveLink(Attempt* attempt);
  // Whether BeginBatch can record the create of `intent` ahead: the change
  // will reach Create unless the end system fails first.
  bool WillCreate(const ferry::v1::WriteIntent& intent, const EntityKey& key,
                  bool linked) const;
  // Whether a crash or a failed call may have left the pending record of
  // the entity and `sub`, so the write may have landed.
  bool MayBePending(const EntityKey& entity, absl::string_view sub) const;
  // Writes a pending record before an end-system call.
  absl::Status RecordPending(const EntityKey& entity, absl::string_view sub,
                             const ferry::v1::PendingWrite& record);
  // Deletes a pending record with the attempt's link (with the open
  // group, when the group holds it).
  void ClearPending(Attempt* attempt, absl::string_view sub);
  // Forgets the pending records whose deletion was committed.
  void ForgetPending(const std::vector<std::string>& tags);

  std::function<absl::Time()> clock_;
  Counts counts_;
  // Between BeginBatch and CommitBatch: the writes, and the links they hold
  // by "system\nid" of both sides.
  std::optional<StateStore::Batch> open_batch_;
  absl::flat_hash_map<std::string, ferry::v1::Link> open_links_;
  // Between BeginBatch and CommitBatch: the store's links of the batch's
  // entities (nullopt: none), the creates BeginBatch recorded that have not
  // been tried yet, and the pending records the open batch deletes.
  absl::flat_hash_map<std::string, std::optional<ferry::v1::Link>> stored_links_;
  absl::flat_hash_map<std::string, EntityKey> recorded_creates_;
  std::vector<std::string> open_cleared_pending_;
  // Between BeginBatch and CommitBatch: when the batch's pending group was
  // written, and the creates it holds whose record is not yet cleared.
  absl::Time open_group_started_;
  absl::flat_hash_map<std::string, EntityKey> group_creates_;
  // The last pending group number used: groups a crash leaves are split on
  // first use, so numbers need only be unique within this applier's life.
  uint64_t last_group_ = 0;
  // Pending records of creates and comments ("system\nid\nsub") that may
  // be in the store: those found on first use and those written since,
  // until their deletion is committed.
  absl::flat_hash_set<std::string> pending_;
  // Entities ("system\nid") a crash left marked as being written: their
  // last-synced values are ignored until their next change is recorded.
  absl::flat_hash_set<std::string> suspect_;
  // Open failures per source entity ("system\nid"), so the common case (no
  // failure) costs a hash lookup instead of a state scan per change.
  std::optional<absl::flat_hash_map<std::string, int>> open_failures_;
};

}  // namespace ferry::engine
