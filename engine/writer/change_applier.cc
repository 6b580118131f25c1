#include "engine/writer/change_applier.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/proto_time.h"

namespace ferry::engine {
namespace {

using ferry::v1::ChangeOutcome;

ChangeOutcome Outcome(const ferry::v1::WriteIntent& intent,
                      ChangeOutcome::Kind kind, std::string detail,
                      std::string target_id) {
  ChangeOutcome outcome;
  outcome.set_change_id(intent.change().change_id());
  outcome.set_kind(kind);
  outcome.set_detail(std::move(detail));
  outcome.set_target_id(std::move(target_id));
  return outcome;
}

// The label of a skip in Counts.skipped_by_reason.
std::string SkipReasonOf(WriteSteps::Result::Skip skip) {
  switch (skip) {
    case WriteSteps::Result::Skip::kCriteria:
      return "criteria";
    case WriteSteps::Result::Skip::kLookup:
      return "lookup";
    case WriteSteps::Result::Skip::kBeforeStart:
      return "before_start";
    case WriteSteps::Result::Skip::kNone:
      break;
  }
  return "unchanged";
}

}  // namespace

ChangeApplier::ChangeApplier(
    std::shared_ptr<const IntegrationPlan> plan, StateStore* store,
    absl::flat_hash_map<std::string, EntityWriter*> writers,
    std::function<absl::Time()> clock)
    : integration_(plan->config.name()),
      store_(store),
      clock_(clock),
      journal_(integration_, store, clock),
      steps_(plan, &journal_, writers, clock),
      failures_(plan, store, writers,
                [this](const ferry::v1::WriteIntent& intent) { return Retry(intent); },
                clock) {}

absl::Status ChangeApplier::Load() {
  if (absl::Status loaded = journal_.Load(); !loaded.ok()) return loaded;
  if (absl::Status counted = LoadCounts(); !counted.ok()) return counted;
  return failures_.Load();
}

absl::Status ChangeApplier::LoadCounts() {
  if (counts_loaded_) return absl::OkStatus();
  auto stored = store_->GetCounters(integration_);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    const ferry::v1::IntegrationCounters& counters = **stored;
    counts_.written = counters.written();
    counts_.parked = counters.parked();
    counts_.skipped = 0;
    for (const auto& [reason, count] : counters.skipped_by_reason()) {
      counts_.skipped_by_reason[reason] = count;
      counts_.skipped += count;
    }
    if (counters.has_last_written()) {
      counts_.last_written = FromProto(counters.last_written());
    }
  }
  counts_loaded_ = true;
  return absl::OkStatus();
}

absl::StatusOr<ChangeApplier::Counts> ChangeApplier::GetCounts() {
  if (absl::Status counted = LoadCounts(); !counted.ok()) return counted;
  return counts_;
}

StateStore::Batch ChangeApplier::CountsWrite() const {
  ferry::v1::IntegrationCounters counters;
  counters.set_written(counts_.written);
  counters.set_parked(counts_.parked);
  for (const auto& [reason, count] : counts_.skipped_by_reason) {
    (*counters.mutable_skipped_by_reason())[reason] = count;
  }
  if (counts_.last_written != absl::InfinitePast()) {
    *counters.mutable_last_written() = ToProto(counts_.last_written);
  }
  StateStore::Batch batch;
  batch.PutCounters(integration_, counters);
  return batch;
}

absl::StatusOr<ChangeOutcome> ChangeApplier::Apply(
    const ferry::v1::WriteIntent& intent) {
  std::string skip_reason;
  auto outcome = ApplyInOrder(intent, &skip_reason);
  if (!outcome.ok()) return outcome;
  switch (outcome->kind()) {
    case ChangeOutcome::KIND_WRITTEN:
      ++counts_.written;
      counts_.last_written = clock_();
      break;
    case ChangeOutcome::KIND_SKIPPED:
      ++counts_.skipped;
      ++counts_.skipped_by_reason[skip_reason];
      break;
    default:
      ++counts_.parked;
      break;
  }
  // In a batch, the counts go down with its links (CommitBatch).
  if (!journal_.in_batch()) {
    if (absl::Status saved = store_->Write(CountsWrite()); !saved.ok()) return saved;
  }
  return outcome;
}

absl::StatusOr<ChangeOutcome> ChangeApplier::ApplyInOrder(
    const ferry::v1::WriteIntent& intent, std::string* skip_reason) {
  if (absl::Status loaded = Load(); !loaded.ok()) return loaded;
  auto behind = failures_.ParkBehind(intent.change());
  if (!behind.ok()) return behind.status();
  if (behind->has_value()) return **behind;
  if (!intent.mapping_error().empty()) {
    return failures_.Park(intent.change(), intent.mapping_error(), 1);
  }
  auto result = steps_.Write(intent);
  if (!result.ok()) return result.status();
  if (!result->error.ok()) {
    return failures_.Park(intent.change(), std::string(result->error.message()), 1);
  }
  *skip_reason = SkipReasonOf(result->skip);
  if (result->skip != WriteSteps::Result::Skip::kNone) {
    return Outcome(intent, ChangeOutcome::KIND_SKIPPED, result->skip_reason,
                   result->target.id);
  }
  if (!result->wrote) {
    return Outcome(intent, ChangeOutcome::KIND_SKIPPED,
                   absl::StrCat("nothing to write: ",
                                result->unwritten.empty()
                                    ? "no mapped field or comment changed"
                                    : absl::StrJoin(result->unwritten, "; ")),
                   result->target.id);
  }
  return Outcome(intent, ChangeOutcome::KIND_WRITTEN, "", result->target.id);
}

absl::Status ChangeApplier::BeginBatch(const ferry::v1::WriteBatch& batch) {
  if (absl::Status loaded = Load(); !loaded.ok()) return loaded;
  // Each entity once, decided by its first change in the batch.
  std::vector<EntityKey> entities;
  absl::flat_hash_map<std::pair<std::string, std::string>,
                      const ferry::v1::WriteIntent*>
      first_intent;
  for (const auto& intent : batch.writes()) {
    const auto& entity = intent.change().entity();
    if (first_intent.emplace(std::make_pair(entity.system(), entity.id()), &intent)
            .second) {
      entities.push_back({integration_, entity.system(), entity.id()});
    }
  }
  return journal_.BeginBatch(entities, [&](const EntityKey& key, bool linked) {
    // Another path, or a crash left a create to look for first.
    return !linked && !failures_.HasOpen(key) && !journal_.MayBePending(key, "") &&
           steps_.CreatesWithoutLookup(*first_intent.at({key.system, key.id}));
  });
}

absl::Status ChangeApplier::CommitBatch() { return journal_.CommitBatch(CountsWrite()); }

absl::StatusOr<FailureQueue::Retried> ChangeApplier::Retry(
    const ferry::v1::WriteIntent& intent) {
  auto result = steps_.Write(intent);
  if (!result.ok()) return result.status();
  FailureQueue::Retried retried;
  retried.error = result->error;
  retried.outcome = Outcome(
      intent, result->wrote ? ChangeOutcome::KIND_WRITTEN : ChangeOutcome::KIND_SKIPPED,
      result->skip_reason, result->target.id);
  return retried;
}

absl::StatusOr<std::vector<ChangeOutcome>> ChangeApplier::RetryDue(
    const std::function<bool()>& yield) {
  if (absl::Status loaded = Load(); !loaded.ok()) return loaded;
  return failures_.RetryDue(yield);
}

absl::StatusOr<ferry::v1::FailureActionResponse> ChangeApplier::Reprocess(
    const ferry::v1::FailureSelector& selector) {
  if (absl::Status loaded = Load(); !loaded.ok()) return loaded;
  return failures_.Reprocess(selector);
}

absl::StatusOr<ferry::v1::FailureActionResponse> ChangeApplier::Skip(
    const ferry::v1::FailureSelector& selector) {
  if (absl::Status loaded = Load(); !loaded.ok()) return loaded;
  return failures_.Skip(selector);
}

}  // namespace ferry::engine
