#include "engine/writer/failure_queue.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/common/proto_time.h"
#include "engine/writer/failure_log.h"

namespace ferry::engine {
namespace {

using ferry::v1::ChangeOutcome;

constexpr int kDefaultMaxAttempts = 3;
constexpr absl::Duration kDefaultInitialBackoff = absl::Seconds(30);
constexpr absl::Duration kDefaultMaxBackoff = absl::Minutes(15);

EntityKey SourceOf(const ferry::v1::Failure& failure) {
  return {failure.integration(), failure.source_system(), failure.source_id()};
}

}  // namespace

FailureQueue::FailureQueue(std::shared_ptr<const IntegrationPlan> plan,
                           StateStore* store,
                           absl::flat_hash_map<std::string, EntityWriter*> sources,
                           WriteFn write, std::function<absl::Time()> clock)
    : plan_(std::move(plan)),
      store_(store),
      sources_(std::move(sources)),
      write_(std::move(write)),
      clock_(std::move(clock)) {}

absl::Status FailureQueue::Load() {
  if (open_.has_value()) return absl::OkStatus();
  absl::flat_hash_map<std::pair<std::string, std::string>, int> open;
  absl::Status listed = store_->ForEachFailure(
      plan_->config.name(), "", [&](const ferry::v1::Failure& failure) {
        if (failure.state() == ferry::v1::FAILURE_STATE_OPEN) {
          ++open[{failure.source_system(), failure.source_id()}];
        }
        return true;
      });
  if (!listed.ok()) return listed;
  open_ = std::move(open);
  return absl::OkStatus();
}

bool FailureQueue::HasOpen(const EntityKey& entity) const {
  return open_->contains({entity.system, entity.id});
}

absl::StatusOr<std::optional<ChangeOutcome>> FailureQueue::ParkBehind(
    const ferry::v1::ChangeEvent& change) {
  const EntityKey entity{plan_->config.name(), change.entity().system(),
                         change.entity().id()};
  if (!HasOpen(entity)) return std::nullopt;
  auto failures = store_->FailuresOf(entity);
  if (!failures.ok()) return failures.status();
  for (const auto& failure : *failures) {
    if (failure.state() == ferry::v1::FAILURE_STATE_OPEN) {
      return Park(change,
                  absl::StrCat("waiting behind failure ", failure.id(),
                               " of the same entity: ", failure.error()),
                  0);
    }
  }
  return std::nullopt;
}

absl::StatusOr<ChangeOutcome> FailureQueue::Park(
    const ferry::v1::ChangeEvent& change, const std::string& error,
    int attempts) {
  const absl::Time now = clock_();
  ferry::v1::Failure failure;
  failure.set_id(store_->NewFailureId());
  failure.set_integration(plan_->config.name());
  failure.set_source_system(change.entity().system());
  failure.set_source_id(change.entity().id());
  failure.set_source_key(change.entity().display_key());
  *failure.mutable_change() = change;
  failure.set_error(error);
  failure.set_attempts(attempts);
  *failure.mutable_first_failed() = ToProto(now);
  if (attempts > 0 && attempts < MaxAttempts()) {
    *failure.mutable_next_attempt() = ToProto(now + Backoff(attempts));
  }
  StateStore::Batch batch;
  batch.PutFailure(failure);
  absl::Status written = store_->Write(std::move(batch));
  if (!written.ok()) return written;
  CountOpen(failure.source_system(), failure.source_id(), +1);
  Log(log::Level::kWarn, "failure.parked", failure);
  if (attempts > 0 && attempts >= MaxAttempts()) {
    Log(log::Level::kError, "failure.exhausted", failure, ExhaustedFix(failure));
  }
  ChangeOutcome outcome;
  outcome.set_change_id(change.change_id());
  outcome.set_kind(ChangeOutcome::KIND_PARKED);
  outcome.set_detail(absl::StrCat("failure ", failure.id(), ": ", error));
  return outcome;
}

absl::StatusOr<ferry::v1::WriteIntent> FailureQueue::Remap(
    const ferry::v1::ChangeEvent& change) const {
  const mapping::Mapper* mapper = plan_->MapperFor(change.entity().system());
  if (mapper == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "integration '", plan_->config.name(), "' no longer syncs changes of ",
        change.entity().system()));
  }
  auto intent = mapper->Map(change);
  if (intent.ok()) return intent;
  // A mapping that still fails parks the change again with its reason.
  ferry::v1::WriteIntent failed;
  *failed.mutable_change() = change;
  failed.set_mapping_error(std::string(intent.status().message()));
  return failed;
}

absl::StatusOr<ferry::v1::ChangeEvent> FailureQueue::Refreshed(
    const ferry::v1::ChangeEvent& change) const {
  auto source = sources_.find(change.entity().system());
  if (source == sources_.end()) return change;
  auto current = source->second->Get(
      EntityRef{change.entity().id(), change.entity().display_key(), ""});
  if (!current.ok()) return current.status();
  ferry::v1::ChangeEvent fresh = change;
  *fresh.mutable_entity()->mutable_fields() = current->fields();
  if (current->has_updated_at()) {
    *fresh.mutable_entity()->mutable_updated_at() = current->updated_at();
  }
  return fresh;
}

absl::Status FailureQueue::RunChain(const EntityKey& entity, bool force,
                                    std::vector<ChangeOutcome>* outcomes,
                                    ferry::v1::FailureActionResponse* response) {
  auto failures = store_->FailuresOf(entity);
  if (!failures.ok()) return failures.status();
  const absl::Time now = clock_();
  for (const auto& failure : *failures) {
    if (failure.state() != ferry::v1::FAILURE_STATE_OPEN) continue;
    const bool head_waiting = failure.attempts() > 0 && !force &&
                              (!failure.has_next_attempt() ||
                               FromProto(failure.next_attempt()) > now);
    if (head_waiting) return absl::OkStatus();
    Retried retried;
    auto change = Refreshed(failure.change());
    if (!change.ok()) {
      retried.error = change.status();
    } else {
      auto intent = Remap(*change);
      if (!intent.ok()) return intent.status();
      if (!intent->mapping_error().empty()) {
        retried.error = absl::InvalidArgumentError(intent->mapping_error());
      } else {
        auto written = write_(*intent);
        if (!written.ok()) return written.status();
        retried = *std::move(written);
      }
    }
    StateStore::Batch batch;
    if (retried.error.ok()) {
      batch.DeleteFailure(failure);
      absl::Status written = store_->Write(std::move(batch));
      if (!written.ok()) return written;
      CountOpen(failure.source_system(), failure.source_id(), -1);
      Log(log::Level::kInfo, "failure.resolved", failure);
      if (response != nullptr) response->set_affected(response->affected() + 1);
      if (outcomes != nullptr) outcomes->push_back(std::move(retried.outcome));
      continue;  // The next change of the entity may go now.
    }
    ferry::v1::Failure again = failure;
    again.set_attempts(failure.attempts() + 1);
    again.set_error(std::string(retried.error.message()));
    again.clear_next_attempt();
    if (again.attempts() < MaxAttempts()) {
      *again.mutable_next_attempt() = ToProto(now + Backoff(again.attempts()));
    }
    batch.PutFailure(again);
    absl::Status written = store_->Write(std::move(batch));
    if (!written.ok()) return written;
    if (again.has_next_attempt()) {
      Log(log::Level::kWarn, "failure.retry_failed", again);
    } else {
      Log(log::Level::kError, "failure.exhausted", again, ExhaustedFix(again));
    }
    if (response != nullptr) {
      response->set_affected(response->affected() + 1);
      *response->add_still_failing() = again;
    }
    if (outcomes != nullptr) {
      ChangeOutcome outcome;
      outcome.set_change_id(failure.change().change_id());
      outcome.set_kind(ChangeOutcome::KIND_PARKED);
      outcome.set_detail(again.error());
      outcomes->push_back(std::move(outcome));
    }
    return absl::OkStatus();  // Later changes keep waiting behind it.
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ChangeOutcome>> FailureQueue::RetryDue(
    const std::function<bool()>& yield) {
  // One chain per entity, from its oldest open failure.
  std::vector<EntityKey> entities;
  absl::flat_hash_set<std::pair<std::string, std::string>> seen;
  absl::Status listed = store_->ForEachFailure(
      plan_->config.name(), "", [&](const ferry::v1::Failure& failure) {
        if (failure.state() == ferry::v1::FAILURE_STATE_OPEN &&
            seen.insert({failure.source_system(), failure.source_id()}).second) {
          entities.push_back(SourceOf(failure));
        }
        return true;
      });
  if (!listed.ok()) return listed;
  std::vector<ChangeOutcome> outcomes;
  for (size_t i = 0; i < entities.size(); ++i) {
    if (i > 0 && yield && yield()) break;
    absl::Status ran = RunChain(entities[i], /*force=*/false, &outcomes, nullptr);
    if (!ran.ok()) return ran;
  }
  return outcomes;
}

absl::StatusOr<std::vector<ferry::v1::Failure>> FailureQueue::Select(
    const ferry::v1::FailureSelector& selector) const {
  std::vector<ferry::v1::Failure> selected;
  absl::Status listed = store_->ForEachFailure(
      plan_->config.name(), "", [&](const ferry::v1::Failure& failure) {
        if (failure.state() != ferry::v1::FAILURE_STATE_OPEN) return true;
        const bool by_id =
            std::find(selector.ids().begin(), selector.ids().end(),
                      failure.id()) != selector.ids().end();
        const bool by_error =
            selector.ids().empty() && !selector.error_contains().empty() &&
            absl::StrContains(failure.error(), selector.error_contains());
        if (by_id || by_error) selected.push_back(failure);
        return true;
      });
  if (!listed.ok()) return listed;
  return selected;
}

absl::StatusOr<ferry::v1::FailureActionResponse> FailureQueue::Reprocess(
    const ferry::v1::FailureSelector& selector) {
  auto selected = Select(selector);
  if (!selected.ok()) return selected.status();
  ferry::v1::FailureActionResponse response;
  absl::flat_hash_set<std::pair<std::string, std::string>> done;
  for (const auto& failure : *selected) {
    Log(log::Level::kInfo, "failure.reprocessed", failure);
    if (!done.insert({failure.source_system(), failure.source_id()}).second) {
      continue;
    }
    absl::Status ran =
        RunChain(SourceOf(failure), /*force=*/true, nullptr, &response);
    if (!ran.ok()) return ran;
  }
  return response;
}

absl::StatusOr<ferry::v1::FailureActionResponse> FailureQueue::Skip(
    const ferry::v1::FailureSelector& selector) {
  auto selected = Select(selector);
  if (!selected.ok()) return selected.status();
  ferry::v1::FailureActionResponse response;
  for (auto failure : *selected) {
    failure.set_state(ferry::v1::FAILURE_STATE_SKIPPED);
    failure.clear_next_attempt();
    StateStore::Batch batch;
    batch.PutFailure(failure);
    absl::Status written = store_->Write(std::move(batch));
    if (!written.ok()) return written;
    CountOpen(failure.source_system(), failure.source_id(), -1);
    Log(log::Level::kInfo, "failure.skipped", failure);
    response.set_affected(response.affected() + 1);
    // The entity's next change no longer waits.
    absl::Status ran =
        RunChain(SourceOf(failure), /*force=*/true, nullptr, nullptr);
    if (!ran.ok()) return ran;
  }
  return response;
}

void FailureQueue::Log(log::Level level, absl::string_view event,
                       const ferry::v1::Failure& failure, absl::string_view fix) const {
  // The target is shown when the entity is linked; a link that cannot be
  // read leaves it out rather than the line.
  auto link = store_->FindLink(SourceOf(failure));
  LogFailure(level, event, failure,
             link.ok() ? *std::move(link) : std::nullopt, fix);
}

void FailureQueue::CountOpen(const std::string& system, const std::string& id,
                             int delta) {
  if (!open_.has_value()) return;  // Counted fresh by Load.
  const std::pair<std::string, std::string> key{system, id};
  if (((*open_)[key] += delta) <= 0) open_->erase(key);
}

absl::Duration FailureQueue::Backoff(int attempts) const {
  const auto& retry = plan_->config.retry();
  const absl::Duration initial = retry.has_initial_backoff()
                                     ? FromProto(retry.initial_backoff())
                                     : kDefaultInitialBackoff;
  const absl::Duration most = retry.has_max_backoff()
                                  ? FromProto(retry.max_backoff())
                                  : kDefaultMaxBackoff;
  absl::Duration wait = initial;
  for (int i = 1; i < attempts && wait < most; ++i) wait *= 2;
  return std::min(wait, most);
}

int FailureQueue::MaxAttempts() const {
  const int configured = plan_->config.retry().max_attempts();
  return configured > 0 ? configured : kDefaultMaxAttempts;
}

}  // namespace ferry::engine
