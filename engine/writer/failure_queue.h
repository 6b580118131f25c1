#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/common/log.h"
#include "engine/connector/connector.h"
#include "engine/pipeline/integration_plan.h"
#include "engine/state/state_store.h"
#include "proto/control.pb.h"
#include "proto/stages.pb.h"

namespace ferry::engine {

// The writer's failure queue for one integration: the changes an end
// system refused (or the mapping could not map), kept in the state store
// with the system's words, retried with backoff, and left for a person to
// reprocess or skip when the retry policy's attempts run out.
//
// Per-entity order: while an entity has an open failure, each later change
// of it is parked behind (with no attempt of its own), and a retry runs
// the entity's failures oldest first, stopping at the first that fails
// again. Skipping a failure lets the entity's next change go at once.
//
// Where a retry is mapped: here, in the writer, with the integration's
// current mapping; a retry does not go back through the transformer. The
// queue first reads the source entity as it is now (through the writer of
// its system) and maps that, keeping the parked change's comments:
//   - the parked values may since have been overwritten (by a person, or
//     by Ferry from the other side), and writing them would undo the newer
//     change; a retry must write what the source holds now;
//   - a failure caused by the mapping (a value map missing a value) is
//     fixed by a config reload, and re-mapping picks the fix up;
//   - the stages' streams flow one way (reader, transformer, writer) and
//     the transformer keeps no state, so sending a change back would need a
//     second path through the pipeline (and, run as separate processes,
//     through another process) only to call the same pure Mapper the
//     writer already holds in its IntegrationPlan.
// See docs/writer.md, "The retry decision".
//
// Each step of a failure's life is logged as one structured line: parked,
// each retry that fails again, attempts run out (with the fix), resolved,
// reprocessed, skipped (failure_log.h).
//
// Every failure outlives a restart (the store holds them); Load() counts
// the open ones so the common case, an entity with none, costs a hash
// lookup per change. Thread-compatible. A non-OK status is the state
// store's error: nothing about that failure was recorded.
class FailureQueue {
 public:
  // What a retried change came to: the end system's `error` (not OK: it
  // failed again) and, when it did not, the change's outcome.
  struct Retried {
    absl::Status error;
    ferry::v1::ChangeOutcome outcome;
  };
  // Writes a retried change, mapped anew. A non-OK status is the state
  // store's error.
  using WriteFn =
      std::function<absl::StatusOr<Retried>(const ferry::v1::WriteIntent&)>;

  // `sources` by system name: the writers that read a parked change's
  // entity as it is now. `write` applies retries (the writer's steps).
  // Writers and the store must outlive the queue.
  FailureQueue(std::shared_ptr<const IntegrationPlan> plan, StateStore* store,
               absl::flat_hash_map<std::string, EntityWriter*> sources,
               WriteFn write, std::function<absl::Time()> clock);

  // Counts the open failures in the store, once; later calls return OK at
  // once. Every method below needs it done.
  absl::Status Load();

  // Whether `entity` has an open failure (its changes wait behind it).
  bool HasOpen(const EntityKey& entity) const;

  // Parks `change` behind its entity's open failure, if it has one (the
  // outcome PARKED, no attempt made); nullopt when it has none.
  absl::StatusOr<std::optional<ferry::v1::ChangeOutcome>> ParkBehind(
      const ferry::v1::ChangeEvent& change);

  // Records a failure of `change` with `error` after `attempts` attempts
  // (0: it never ran, it waits behind another); the next attempt is due
  // after the backoff while attempts remain. Returns the PARKED outcome.
  absl::StatusOr<ferry::v1::ChangeOutcome> Park(
      const ferry::v1::ChangeEvent& change, const std::string& error,
      int attempts);

  // Retries each entity's chain of failures whose head is due. Between two
  // entities, stops when `yield` (may be empty) returns true, leaving the
  // rest due for the next call: the writer serves a waiting batch first.
  // Returns the outcomes of the changes retried.
  absl::StatusOr<std::vector<ferry::v1::ChangeOutcome>> RetryDue(
      const std::function<bool()>& yield = nullptr);

  // Retries the selected failures now, whatever their attempts (a person
  // fixed the cause); later changes of the same entities follow in order.
  absl::StatusOr<ferry::v1::FailureActionResponse> Reprocess(
      const ferry::v1::FailureSelector& selector);

  // Gives up on the selected failures; later changes of the same entities
  // are applied at once.
  absl::StatusOr<ferry::v1::FailureActionResponse> Skip(
      const ferry::v1::FailureSelector& selector);

  // The wait before attempt `attempts` + 1: the retry policy's initial
  // backoff, doubled per attempt, at most its max backoff.
  absl::Duration Backoff(int attempts) const;

 private:
  // Retries an entity's failures in order from its first, until one fails
  // again. `force` ignores attempts and due times.
  absl::Status RunChain(const EntityKey& entity, bool force,
                        std::vector<ferry::v1::ChangeOutcome>* outcomes,
                        ferry::v1::FailureActionResponse* response);
  // A parked change with its entity's fields as the source holds them now
  // (its comments as parked).
  absl::StatusOr<ferry::v1::ChangeEvent> Refreshed(
      const ferry::v1::ChangeEvent& change) const;
  // The change mapped with the current mapping; a mapping that fails gives
  // an intent carrying the mapping error.
  absl::StatusOr<ferry::v1::WriteIntent> Remap(
      const ferry::v1::ChangeEvent& change) const;
  absl::StatusOr<std::vector<ferry::v1::Failure>> Select(
      const ferry::v1::FailureSelector& selector) const;
  int MaxAttempts() const;
  // Logs `event` about `failure` with its entity's link (failure_log.h).
  void Log(log::Level level, absl::string_view event,
           const ferry::v1::Failure& failure, absl::string_view fix = "") const;
  // Adds `delta` to the open failures of an entity.
  void CountOpen(const std::string& system, const std::string& id, int delta);

  const std::shared_ptr<const IntegrationPlan> plan_;
  StateStore* const store_;
  const absl::flat_hash_map<std::string, EntityWriter*> sources_;
  const WriteFn write_;
  const std::function<absl::Time()> clock_;
  // Open failures per source entity (system, id); nullopt until Load.
  std::optional<absl::flat_hash_map<std::pair<std::string, std::string>, int>>
      open_;
};

}  // namespace ferry::engine
