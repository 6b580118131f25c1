#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/control.pb.h"
#include "proto/entity.pb.h"
#include "proto/state.pb.h"

namespace ferry::engine {

// Names one reader partition: what an integration reads from one project
// of one system.
struct PartitionKey {
  std::string integration;
  std::string system;
  std::string project;
};

// Names one source entity of an integration.
struct EntityKey {
  std::string integration;
  std::string system;
  std::string id;
};

// Ferry's durable state in one RocksDB directory (docs/architecture.md,
// "State"): reader checkpoints, the link table in both directions, the
// failure queue, pending writes and each integration's counters, each in
// its own column family, with
// keys that start with the integration's name so one integration's records
// can be listed and dropped as a range.
//
// Changes are grouped in a StateStore::Batch and applied atomically: the
// links of a writer batch and the removal of its pending records land
// together, before the batch is acknowledged, or not at all. Every write
// goes through RocksDB's write-ahead log, so it survives the process being
// killed once Write() returns; `sync_writes` also survives losing the
// machine, at the cost of an fsync per batch.
//
// Thread-safe: reads and writes may come from any thread. Key components
// must not contain '\0' (InvalidArgument otherwise).
class StateStore {
 public:
  struct Options {
    // fsync every batch.
    bool sync_writes = false;
    // Create the directory and column families when missing.
    bool create_if_missing = true;
  };

  // A group of changes applied atomically by Write(). Not thread-safe.
  class Batch {
   public:
    Batch();
    ~Batch();
    Batch(Batch&&) noexcept;
    Batch& operator=(Batch&&) noexcept;

    // Sets a reader's checkpoint.
    void PutCheckpoint(const PartitionKey& partition,
                       const ferry::v1::SourcePosition& position);
    // Replaces the counters of `integration`.
    void PutCounters(absl::string_view integration,
                     const ferry::v1::IntegrationCounters& counters);
    // Stores a link under its source (link.source_system/source_id) and
    // indexes it by its target (link.target_system/target_id).
    void PutLink(const ferry::v1::Link& link);
    // Stores a failure; its id must have come from NewFailureId().
    void PutFailure(const ferry::v1::Failure& failure);
    // Removes a failure (found by its integration, source and id).
    void DeleteFailure(const ferry::v1::Failure& failure);
    // Records a write that is about to start, for the entity and `sub`
    // (empty for a create, the source comment id for a comment).
    void PutPending(const EntityKey& entity, absl::string_view sub,
                    const ferry::v1::PendingWrite& pending);
    // Removes a pending write stored on its own (not one in a group).
    void DeletePending(const EntityKey& entity, absl::string_view sub);
    // Records pending writes of `integration` together under `group` (one
    // record, one memtable insert): a writer batch's. ForEachPending sees
    // each member as a pending write of its own.
    void PutPendingGroup(absl::string_view integration, uint64_t group,
                         const ferry::v1::PendingGroup& members);
    // Removes a group and so every member of it.
    void DeletePendingGroup(absl::string_view integration, uint64_t group);

    // Moves every operation of `other` to the end of this batch.
    void Append(Batch other);

    // Number of operations in the batch.
    int size() const;

   private:
    friend class StateStore;
    struct Op;
    void Add(int family, bool put, absl::StatusOr<std::string> key,
             std::string value);

    std::vector<Op> ops_;
    absl::Status status_;  // The first invalid key, reported by Write().
  };

  // Opens (or creates) the state in `dir`. Fails with the RocksDB error in
  // words when the directory cannot be used (held by another process,
  // corrupt, unwritable).
  static absl::StatusOr<std::unique_ptr<StateStore>> Open(
      const std::string& dir, const Options& options);
  ~StateStore();

  // Applies a batch atomically.
  absl::Status Write(Batch batch);

  // A reader's checkpoint; nullopt before its first ack.
  absl::StatusOr<std::optional<ferry::v1::SourcePosition>> GetCheckpoint(
      const PartitionKey& partition) const;

  // The counters of `integration`; nullopt when none were stored (a new
  // integration, or a state written before Ferry kept them).
  absl::StatusOr<std::optional<ferry::v1::IntegrationCounters>> GetCounters(
      absl::string_view integration) const;

  // The link of an entity seen from either side: by its source id, or by
  // its target id through the index. nullopt when the entity is unlinked.
  absl::StatusOr<std::optional<ferry::v1::Link>> FindLink(
      const EntityKey& entity) const;

  // Failures of one source entity, oldest first. An entity with an open
  // failure holds its later changes back, so order is kept.
  absl::StatusOr<std::vector<ferry::v1::Failure>> FailuresOf(
      const EntityKey& entity) const;

  // Calls `visit` for each failure of `integration`, oldest first, starting
  // after failure id `after` (empty for the first), until it returns false.
  absl::Status ForEachFailure(
      absl::string_view integration, absl::string_view after,
      const std::function<bool(const ferry::v1::Failure&)>& visit) const;

  // One failure by id.
  absl::StatusOr<std::optional<ferry::v1::Failure>> GetFailure(
      absl::string_view integration, absl::string_view failure_id) const;

  // A new failure id: unique in this store and greater than every earlier
  // one, so ids order failures by time.
  std::string NewFailureId();

  // Calls `visit` for each pending write of `integration`, those stored
  // on their own and the members of groups, until it returns false.
  absl::Status ForEachPending(
      absl::string_view integration,
      const std::function<bool(const EntityKey& entity, absl::string_view sub,
                               const ferry::v1::PendingWrite& pending)>& visit) const;

  // Replaces every pending group of `integration` by its members stored on
  // their own, in one write, so each can then be deleted by itself.
  absl::Status SplitPendingGroups(absl::string_view integration);

  // Calls `visit` for each link of `integration` until it returns false.
  absl::Status ForEachLink(
      absl::string_view integration,
      const std::function<bool(const ferry::v1::Link&)>& visit) const;

  // Removes every record of `integration`.
  absl::Status DropIntegration(absl::string_view integration);

  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

 private:
  struct Impl;
  explicit StateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ferry::engine
