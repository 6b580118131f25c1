#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/connector/connector.h"
#include "engine/pipeline/integration_plan.h"
#include "engine/state/state_store.h"
#include "engine/writer/failure_queue.h"
#include "engine/writer/write_journal.h"
#include "engine/writer/write_steps.h"
#include "proto/control.pb.h"
#include "proto/stages.pb.h"

namespace ferry::engine {

// The writer's work for one integration, as the stages use it: applies
// each mapped change to the end system it is meant for, and records what
// it did so that repeating a change is harmless (docs/writer.md). It
// composes three parts, each with its own contract:
//   - FailureQueue (failure_queue.h): a change of an entity with an open
//     failure waits behind it (parked), so per-entity order holds; an end
//     system's error parks the change with the system's words, retried
//     with backoff up to the retry policy's attempts, then left for a
//     person. A retry re-maps the source entity as it is now, in the
//     writer (failure_queue.h says why).
//   - WriteSteps (write_steps.h): criteria, find or create the target,
//     update fields with echo suppression and conflicts, post comments,
//     write back where the copy lives, save the link. Progress made before
//     an error is kept.
//   - WriteJournal (write_journal.h): the pending records, the batch's
//     pending group and link overlay, and what a restart must re-check, so
//     a crash at any point neither loses nor doubles a write.
//
// The applier must be the only writer of its integration's links, pending
// records and failures while it exists (ferryd runs one per integration);
// it reads what a crash left once, on first use, and then keeps track of
// it itself, so most changes cost no pending-record read.
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
  // The failure queue calls back into the applier that made it.
  ChangeApplier(const ChangeApplier&) = delete;
  ChangeApplier& operator=(const ChangeApplier&) = delete;

  // Applies one change. The outcome is WRITTEN, SKIPPED (with why) or
  // PARKED (with the error). A non-OK status means the state store failed:
  // nothing about the change was recorded, and it must be delivered again.
  absl::StatusOr<ferry::v1::ChangeOutcome> Apply(
      const ferry::v1::WriteIntent& intent);

  // Groups the state writes of the changes applied until CommitBatch() into
  // one atomic write (a stage batch: its links before its ack). Until then
  // the applier reads its own uncommitted links. BeginBatch writes the
  // batch's pending group before any end-system call (WriteJournal); what
  // must be durable before a call and failures are still written at once,
  // so a crash before the commit repeats the batch harmlessly.
  absl::Status BeginBatch(const ferry::v1::WriteBatch& batch);
  absl::Status CommitBatch();

  // Retries the failures whose next attempt is due, re-mapping their
  // changes with the current mapping. Between two entities' retries it
  // stops when `yield` (may be empty) returns true, leaving the rest due
  // for the next call. Returns the outcomes of the changes retried.
  absl::StatusOr<std::vector<ferry::v1::ChangeOutcome>> RetryDue(
      const std::function<bool()>& yield = nullptr);

  // Retries the selected failures now, whatever their attempts (a person
  // fixed the cause). Later changes of the same entities follow in order.
  absl::StatusOr<ferry::v1::FailureActionResponse> Reprocess(
      const ferry::v1::FailureSelector& selector);

  // Gives up on the selected failures; later changes of the same entities
  // are applied at once.
  absl::StatusOr<ferry::v1::FailureActionResponse> Skip(
      const ferry::v1::FailureSelector& selector);

  // Changes applied, by outcome: totals kept with the state (restarts and
  // reloads go on counting), saved with each batch's links and, outside a
  // batch, after each change. Retries of parked changes are not counted
  // again. A state written before the counts were kept starts at zero.
  struct Counts {
    int64_t written = 0;
    int64_t skipped = 0;
    // Skipped changes by why: "criteria", "lookup" (the target lookup said
    // skip), "before_start" (an unlinked entity created before the
    // integration's start) or "unchanged" (echoes, sync_when, values
    // already equal).
    std::map<std::string, int64_t> skipped_by_reason;
    int64_t parked = 0;
    absl::Time last_written = absl::InfinitePast();
  };
  // The counts, read from the store on first use; a non-OK status is the
  // store's error.
  absl::StatusOr<Counts> GetCounts();

 private:
  // Reads what the store holds (pending records, open failures, counts)
  // once.
  absl::Status Load();
  // Reads the stored counts once.
  absl::Status LoadCounts();
  // The counts as stored, in a batch of their own.
  StateStore::Batch CountsWrite() const;
  // Apply's work; sets `skip_reason` to the Counts label of a skip.
  absl::StatusOr<ferry::v1::ChangeOutcome> ApplyInOrder(
      const ferry::v1::WriteIntent& intent, std::string* skip_reason);
  // Runs a retried change through the steps, for the failure queue.
  absl::StatusOr<FailureQueue::Retried> Retry(const ferry::v1::WriteIntent& intent);

  const std::string integration_;
  StateStore* const store_;
  const std::function<absl::Time()> clock_;
  bool counts_loaded_ = false;
  WriteJournal journal_;
  WriteSteps steps_;
  FailureQueue failures_;
  Counts counts_;
};

}  // namespace ferry::engine
