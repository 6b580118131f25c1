#include "engine/writer/change_applier.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/proto_time.h"
#include "mapping/criteria.h"
#include "mapping/remote_entity.h"
#include "mapping/system_schema.h"
#include "mapping/field_value.h"
#include "mapping/sync_decision.h"

namespace ferry::engine {
namespace {

using ferry::v1::ChangeOutcome;

constexpr int kDefaultMaxAttempts = 3;
// Skip details start with these, so skips can be counted by reason.
constexpr absl::string_view kNothingToWrite = "nothing to write: ";
constexpr absl::string_view kLookupSkip = "target lookup ";
// The pending-write `sub` marking an entity whose fields are being written.
constexpr absl::string_view kWritingSub = "~writing";
constexpr absl::Duration kDefaultInitialBackoff = absl::Seconds(30);
constexpr absl::Duration kDefaultMaxBackoff = absl::Minutes(15);

// How the applier's in-memory sets name a source entity ("system\nid").
std::string EntityTag(absl::string_view system, absl::string_view id) {
  return absl::StrCat(system, "\n", id);
}

// How the applier names a pending record ("system\nid\nsub").
std::string PendingTag(const EntityKey& entity, absl::string_view sub) {
  return absl::StrCat(entity.system, "\n", entity.id, "\n", sub);
}

// The key a field's last synced value is kept under in Link.last_synced.
std::string SyncedKey(absl::string_view system, absl::string_view field) {
  return absl::StrCat(system, "/", field);
}

// Records in the link what both sides now agree on: each written value
// on the target side, and the source value it came from.
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

// The marker a create carries, so a crash between the call and the link
// record can be recovered by asking the end system.
std::string OriginOf(const EntityKey& entity) {
  return absl::StrCat("ferry:", entity.integration, ":", entity.system, ":",
                      entity.id);
}

// The pending record of an entity's create, started at `started`.
ferry::v1::PendingWrite CreateRecord(const EntityKey& entity, absl::Time started) {
  ferry::v1::PendingWrite record;
  record.set_kind(ferry::v1::PendingWrite::KIND_CREATE);
  record.set_origin(OriginOf(entity));
  *record.mutable_started_at() = ToProto(started);
  return record;
}

ChangeOutcome Outcome(const ferry::v1::WriteIntent& intent,
                      ChangeOutcome::Kind kind, std::string detail,
                      std::string target_id = "") {
  ChangeOutcome outcome;
  outcome.set_change_id(intent.change().change_id());
  outcome.set_kind(kind);
  outcome.set_detail(std::move(detail));
  outcome.set_target_id(std::move(target_id));
  return outcome;
}

// The metric label of a skipped outcome, from the detail written below.
std::string SkipReasonOf(const ChangeOutcome& outcome) {
  if (absl::StartsWith(outcome.detail(), kNothingToWrite)) return "unchanged";
  if (absl::StartsWith(outcome.detail(), kLookupSkip)) return "lookup";
  return "criteria";
}

}  // namespace

// What one application of a change has done so far.
struct ChangeApplier::Attempt {
  EntityKey key;
  EntityWriter* writer = nullptr;
  ferry::v1::Link link;
  bool linked = false;      // `link` holds a target.
  bool created = false;     // This attempt created the target.
  bool wrote = false;       // Something was written to an end system.
  EntityRef target;
  StateStore::Batch batch;  // Recorded with the link at the end.
  std::vector<std::string> cleared_pending;  // Pending records `batch` deletes.
  std::vector<std::string> skipped;  // Why fields were not written.
  absl::Status error;       // The end system's error, if one came.
  std::string skip_reason;  // Set when the whole change is skipped.
};

ChangeApplier::ChangeApplier(
    std::shared_ptr<const IntegrationPlan> plan, StateStore* store,
    absl::flat_hash_map<std::string, EntityWriter*> writers,
    std::function<absl::Time()> clock)
    : plan_(std::move(plan)),
      store_(store),
      writers_(std::move(writers)),
      clock_(std::move(clock)) {}

absl::StatusOr<ChangeOutcome> ChangeApplier::Apply(
    const ferry::v1::WriteIntent& intent) {
  auto outcome = ApplyInOrder(intent);
  if (outcome.ok()) {
    switch (outcome->kind()) {
      case ChangeOutcome::KIND_WRITTEN:
        ++counts_.written;
        counts_.last_written = clock_();
        break;
      case ChangeOutcome::KIND_SKIPPED:
        ++counts_.skipped;
        ++counts_.skipped_by_reason[SkipReasonOf(*outcome)];
        break;
      default:
        ++counts_.parked;
        break;
    }
  }
  return outcome;
}

absl::StatusOr<ChangeOutcome> ChangeApplier::ApplyInOrder(
    const ferry::v1::WriteIntent& intent) {
  const auto& entity = intent.change().entity();
  if (absl::Status loaded = LoadState(); !loaded.ok()) return loaded;
  if (!open_failures_->contains(EntityTag(entity.system(), entity.id()))) {
    return ApplyUnlessBlocked(intent);
  }
  auto failures = store_->FailuresOf(
      {plan_->config.name(), entity.system(), entity.id()});
  if (!failures.ok()) return failures.status();
  for (const auto& failure : *failures) {
    if (failure.state() == ferry::v1::FAILURE_STATE_OPEN) {
      return Park(intent.change(),
                  absl::StrCat("waiting behind failure ", failure.id(),
                               " of the same entity: ", failure.error()),
                  0);
    }
  }
  return ApplyUnlessBlocked(intent);
}

absl::StatusOr<ChangeOutcome> ChangeApplier::ApplyUnlessBlocked(
    const ferry::v1::WriteIntent& intent) {
  if (!intent.mapping_error().empty()) {
    return Park(intent.change(), intent.mapping_error(), 1);
  }
  Attempt attempt;
  absl::Status state = Write(intent, &attempt);
  if (!state.ok()) return state;
  if (!attempt.error.ok()) {
    return Park(intent.change(), std::string(attempt.error.message()), 1);
  }
  if (!attempt.skip_reason.empty()) {
    return Outcome(intent, ChangeOutcome::KIND_SKIPPED, attempt.skip_reason,
                   attempt.target.id);
  }
  if (!attempt.wrote) {
    return Outcome(intent, ChangeOutcome::KIND_SKIPPED,
                   absl::StrCat(kNothingToWrite,
                                attempt.skipped.empty()
                                    ? "no mapped field or comment changed"
                                    : absl::StrJoin(attempt.skipped, "; ")),
                   attempt.target.id);
  }
  return Outcome(intent, ChangeOutcome::KIND_WRITTEN, "", attempt.target.id);
}

absl::Status ChangeApplier::Write(const ferry::v1::WriteIntent& intent,
                                  Attempt* attempt) {
  // Retries and reprocessing come here without Apply: the pending records
  // must be known before any is trusted absent.
  if (absl::Status loaded = LoadState(); !loaded.ok()) return loaded;
  const auto& entity = intent.change().entity();
  attempt->key = {plan_->config.name(), entity.system(), entity.id()};
  if (!open_batch_.has_value()) {
    absl::Status marked = MarkWriting(attempt->key, &attempt->batch);
    if (!marked.ok()) return marked;
  }
  auto writer = writers_.find(intent.target_system());
  if (writer == writers_.end()) {
    attempt->error = absl::FailedPreconditionError(absl::StrCat(
        "no writer for system '", intent.target_system(), "'"));
    return absl::OkStatus();
  }
  attempt->writer = writer->second;

  auto link = FindLink(attempt->key);
  if (!link.ok()) return link.status();
  if (link->has_value()) {
    attempt->link = **link;
    attempt->linked = true;
    const bool from_source = attempt->link.source_system() == entity.system() &&
                             attempt->link.source_id() == entity.id();
    attempt->target =
        from_source ? EntityRef{attempt->link.target_id(),
                                attempt->link.target_key(), ""}
                    : EntityRef{attempt->link.source_id(),
                                attempt->link.source_key(), ""};
  }

  const auto criteria = mapping::DecideCriteria(
      intent.matches_criteria(), attempt->linked,
      plan_->config.criteria().stop_when_unmatched());
  if (criteria == mapping::CriteriaDecision::kSkipUnmatched ||
      criteria == mapping::CriteriaDecision::kStopUnmatched) {
    attempt->skip_reason = std::string(mapping::Explain(criteria));
    return absl::OkStatus();
  }

  if (!attempt->linked) {
    absl::Status found = FindOrCreateTarget(intent, attempt);
    if (!found.ok() || !attempt->linked) return found;
  } else {
    absl::Status updated = UpdateFields(intent, attempt);
    if (!updated.ok()) return updated;
  }
  if (attempt->error.ok() && attempt->skip_reason.empty()) {
    absl::Status posted =
        PostComments(intent.comments(), intent.change().entity().system(),
                     attempt->writer, attempt->target, attempt);
    if (!posted.ok()) return posted;
  }
  if (attempt->error.ok() && attempt->skip_reason.empty()) {
    absl::Status written_back = WriteBack(intent, attempt);
    if (!written_back.ok()) return written_back;
  }

  // Record what was done, even when an error stopped it half way.
  *attempt->link.mutable_last_synced_at() = ToProto(clock_());
  return SaveLink(attempt);
}

absl::Status ChangeApplier::BeginBatch(const ferry::v1::WriteBatch& batch) {
  if (absl::Status loaded = LoadState(); !loaded.ok()) return loaded;
  open_batch_.emplace();
  open_links_.clear();
  stored_links_.clear();
  recorded_creates_.clear();
  group_creates_.clear();
  open_cleared_pending_.clear();
  open_group_started_ = clock_();
  ferry::v1::PendingGroup group;
  for (const auto& intent : batch.writes()) {
    const EntityKey key{plan_->config.name(), intent.change().entity().system(),
                        intent.change().entity().id()};
    const std::string tag = EntityTag(key.system, key.id);
    if (stored_links_.contains(tag)) continue;  // A later change of the same entity.
    auto link = store_->FindLink(key);
    if (!link.ok()) return link.status();
    const bool linked = link->has_value();
    stored_links_.emplace(tag, *std::move(link));
    auto* member = group.add_members();
    member->set_system(key.system);
    member->set_id(key.id);
    if (WillCreate(intent, key, linked)) {
      // No "being written" mark: an entity without a link has no synced
      // values to distrust, and after a crash its create record makes the
      // next attempt find the copy and write every field.
      *member->mutable_write() = CreateRecord(key, open_group_started_);
      recorded_creates_.emplace(tag, key);
      group_creates_.emplace(tag, key);
    } else {
      member->set_sub(std::string(kWritingSub));
      member->mutable_write()->set_kind(ferry::v1::PendingWrite::KIND_UPDATE);
      *member->mutable_write()->mutable_started_at() = ToProto(open_group_started_);
    }
    // A mark an earlier crash left goes with the batch.
    if (suspect_.contains(tag)) open_batch_->DeletePending(key, kWritingSub);
  }
  // One record for the batch, deleted with its links by CommitBatch.
  const uint64_t group_number = ++last_group_;
  StateStore::Batch marks;
  marks.PutPendingGroup(plan_->config.name(), group_number, group);
  open_batch_->DeletePendingGroup(plan_->config.name(), group_number);
  // Tracked before the write: a write that fails may still have landed.
  for (const auto& [tag, key] : recorded_creates_) pending_.insert(PendingTag(key, ""));
  absl::Status written = store_->Write(std::move(marks));
  if (!written.ok()) {
    recorded_creates_.clear();
    group_creates_.clear();
  }
  return written;
}

bool ChangeApplier::WillCreate(const ferry::v1::WriteIntent& intent,
                               const EntityKey& key, bool linked) const {
  if (linked || !intent.mapping_error().empty() ||
      !intent.target_lookup_query().empty() ||
      !writers_.contains(intent.target_system()) ||
      open_failures_->contains(EntityTag(key.system, key.id)) ||
      pending_.contains(PendingTag(key, ""))) {
    return false;  // Another path, or a crash left a create to look for.
  }
  const auto criteria = mapping::DecideCriteria(
      intent.matches_criteria(), /*linked=*/false,
      plan_->config.criteria().stop_when_unmatched());
  return criteria != mapping::CriteriaDecision::kSkipUnmatched &&
         criteria != mapping::CriteriaDecision::kStopUnmatched;
}

absl::Status ChangeApplier::MarkWriting(const EntityKey& entity,
                                        StateStore::Batch* after) {
  ferry::v1::PendingWrite writing;
  writing.set_kind(ferry::v1::PendingWrite::KIND_UPDATE);
  *writing.mutable_started_at() = ToProto(clock_());
  StateStore::Batch marks;
  marks.PutPending(entity, kWritingSub, writing);
  after->DeletePending(entity, kWritingSub);
  return store_->Write(std::move(marks));
}

absl::Status ChangeApplier::CommitBatch() {
  if (!open_batch_.has_value()) return absl::OkStatus();
  StateStore::Batch batch = std::move(*open_batch_);
  open_batch_.reset();
  // The batch's group goes (batch already deletes it); a create it
  // recorded that was tried and did not land for sure keeps a record of
  // its own, for the next attempt to look for it. One never tried (the
  // change went another way) needs none.
  for (const auto& [tag, key] : group_creates_) {
    if (recorded_creates_.contains(tag)) {
      open_cleared_pending_.push_back(PendingTag(key, ""));
    } else {
      batch.PutPending(key, "", CreateRecord(key, open_group_started_));
    }
  }
  recorded_creates_.clear();
  group_creates_.clear();
  stored_links_.clear();
  for (const auto& [key, link] : open_links_) suspect_.erase(key);
  open_links_.clear();
  absl::Status written = store_->Write(std::move(batch));
  if (written.ok()) ForgetPending(open_cleared_pending_);
  open_cleared_pending_.clear();
  return written;
}

absl::StatusOr<std::optional<ferry::v1::Link>> ChangeApplier::FindLink(
    const EntityKey& entity) const {
  const std::string tag = EntityTag(entity.system, entity.id);
  auto open = open_links_.find(tag);
  if (open != open_links_.end()) return open->second;
  auto stored = stored_links_.find(tag);
  if (stored != stored_links_.end()) return stored->second;
  return store_->FindLink(entity);
}

absl::Status ChangeApplier::SaveLink(Attempt* attempt) {
  const ferry::v1::Link& link = attempt->link;
  StateStore::Batch batch = std::move(attempt->batch);
  batch.PutLink(link);
  if (!open_batch_.has_value()) {
    absl::Status written = store_->Write(std::move(batch));
    if (written.ok()) {
      suspect_.erase(EntityTag(link.source_system(), link.source_id()));
      suspect_.erase(EntityTag(link.target_system(), link.target_id()));
      ForgetPending(attempt->cleared_pending);
    }
    return written;
  }
  open_batch_->Append(std::move(batch));
  open_cleared_pending_.insert(open_cleared_pending_.end(),
                               attempt->cleared_pending.begin(),
                               attempt->cleared_pending.end());
  open_links_[EntityTag(link.source_system(), link.source_id())] = link;
  open_links_[EntityTag(link.target_system(), link.target_id())] = link;
  return absl::OkStatus();
}

absl::Status ChangeApplier::FindOrCreateTarget(
    const ferry::v1::WriteIntent& intent, Attempt* attempt) {
  const auto& entity = intent.change().entity();
  const std::string origin = OriginOf(attempt->key);
  auto link_to = [&](EntityRef ref) {
    attempt->target = std::move(ref);
    attempt->linked = true;
    auto& link = attempt->link;
    link.set_integration(plan_->config.name());
    link.set_source_system(entity.system());
    link.set_source_id(entity.id());
    link.set_source_key(entity.display_key());
    link.set_target_system(intent.target_system());
    link.set_target_id(attempt->target.id);
    link.set_target_key(attempt->target.key);
  };

  CreateRequest request;
  request.project = intent.target_project();
  request.type = intent.target_type();
  request.origin = origin;
  request.source_url = entity.url();
  request.source_title = absl::StrCat(entity.system(), " ", entity.display_key());
  for (const auto& write : intent.fields()) {
    if (mapping::SyncWhenApplies(write.sync_when(), /*creating=*/true)) {
      request.fields.push_back(write);
    }
  }

  // Recorded by BeginBatch: nothing was left before it.
  const bool recorded =
      recorded_creates_.erase(EntityTag(attempt->key.system, attempt->key.id)) > 0;
  // A create a crash interrupted: did it land?
  if (!recorded && MayBePending(attempt->key, "")) {
    auto found = attempt->writer->FindCreated(request);
    if (!found.ok()) {
      attempt->error = found.status();
      return absl::OkStatus();
    }
    if (found->has_value()) {
      link_to(**found);
      ClearPending(attempt, "");
      return UpdateFields(intent, attempt);
    }
  }

  if (!intent.target_lookup_query().empty()) {
    auto matches = attempt->writer->Lookup(intent.target_project(),
                                           intent.target_lookup_query());
    if (!matches.ok()) {
      attempt->error = matches.status();
      return absl::OkStatus();
    }
    const auto& lookup = plan_->config.target_lookup();
    if (matches->size() > 1 &&
        lookup.on_many() == ferry::v1::TargetLookup::ON_MANY_FAIL) {
      std::vector<std::string> keys;
      for (const auto& match : *matches) keys.push_back(match.key);
      attempt->error = absl::FailedPreconditionError(absl::StrCat(
          "target lookup '", intent.target_lookup_query(), "' found ",
          matches->size(), " entities (", absl::StrJoin(keys, ", "),
          "); make the query match one, or set on_many: FIRST"));
      return absl::OkStatus();
    }
    if (!matches->empty()) {
      link_to(matches->front());
      if (lookup.on_match() == ferry::v1::TargetLookup::ON_MATCH_SKIP) {
        attempt->skip_reason = absl::StrCat(
            kLookupSkip, "found ", attempt->target.key,
            "; linked it and wrote nothing (on_match: SKIP)");
        return absl::OkStatus();
      }
      return UpdateFields(intent, attempt);
    }
    if (lookup.on_none() == ferry::v1::TargetLookup::ON_NONE_SKIP) {
      attempt->skip_reason = absl::StrCat(
          kLookupSkip, "'", intent.target_lookup_query(),
          "' found nothing; not created (on_none: SKIP)");
      return absl::OkStatus();
    }
  }

  if (!recorded) {
    absl::Status written =
        RecordPending(attempt->key, "", CreateRecord(attempt->key, clock_()));
    if (!written.ok()) return written;
  }

  auto created = attempt->writer->Create(request);
  if (!created.ok()) {
    // The pending record stays: the next attempt asks whether it landed.
    attempt->error = created.status();
    return absl::OkStatus();
  }
  link_to(*created);
  attempt->created = true;
  attempt->wrote = true;
  ClearPending(attempt, "");
  RecordSynced(intent, request.fields, &attempt->link);
  return absl::OkStatus();
}

bool ChangeApplier::MayBePending(const EntityKey& entity,
                                 absl::string_view sub) const {
  return pending_.contains(PendingTag(entity, sub));
}

absl::Status ChangeApplier::RecordPending(const EntityKey& entity,
                                          absl::string_view sub,
                                          const ferry::v1::PendingWrite& record) {
  StateStore::Batch before;
  before.PutPending(entity, sub, record);
  // Tracked before the write: a write that fails may still have landed.
  pending_.insert(PendingTag(entity, sub));
  return store_->Write(std::move(before));
}

void ChangeApplier::ClearPending(Attempt* attempt, absl::string_view sub) {
  // A create the open group recorded goes with the group.
  const bool in_group =
      sub.empty() &&
      group_creates_.erase(EntityTag(attempt->key.system, attempt->key.id)) > 0;
  if (!in_group) attempt->batch.DeletePending(attempt->key, sub);
  attempt->cleared_pending.push_back(PendingTag(attempt->key, sub));
}

void ChangeApplier::ForgetPending(const std::vector<std::string>& tags) {
  for (const auto& tag : tags) pending_.erase(tag);
}

absl::Status ChangeApplier::UpdateFields(const ferry::v1::WriteIntent& intent,
                                         Attempt* attempt) {
  const auto& entity = intent.change().entity();
  const auto policy = plan_->config.conflict_policy();
  // Only a policy that may let the target win needs the target's values.
  std::optional<ferry::v1::Entity> current;
  if (policy != ferry::v1::CONFLICT_POLICY_SOURCE_WINS &&
      !intent.fields().empty()) {
    auto got = attempt->writer->Get(attempt->target);
    if (!got.ok()) {
      attempt->error = got.status();
      return absl::OkStatus();
    }
    current = *std::move(got);
  }

  auto& synced = *attempt->link.mutable_last_synced();
  // A crash came between a write of this entity and its record: what the
  // link says was synced may not be what the target holds.
  const bool suspect =
      suspect_.contains(EntityTag(attempt->key.system, attempt->key.id));
  std::vector<ferry::v1::FieldWrite> writes;
  std::vector<std::string> conflicts;
  for (const auto& write : intent.fields()) {
    mapping::FieldSyncState state;
    state.creating = false;
    auto last = synced.find(SyncedKey(intent.target_system(),
                                      write.target_field()));
    if (last != synced.end() && !suspect) {
      state.last_synced = mapping::Fingerprint(last->second);
    }
    if (current.has_value()) {
      auto value = current->fields().find(write.target_field());
      if (value != current->fields().end()) state.target_value = &value->second;
      state.target_changed_at = FromProto(current->updated_at());
    }
    state.source_changed_at = FromProto(entity.updated_at());
    const auto outcome = mapping::DecideFieldWrite(write, state, policy);
    if (outcome == mapping::FieldOutcome::kConflictRaised) {
      conflicts.push_back(write.target_field());
    } else if (mapping::IsWrite(outcome)) {
      writes.push_back(write);
    } else {
      attempt->skipped.push_back(absl::StrCat(
          write.target_field(), ": ", mapping::Explain(outcome)));
    }
  }
  if (!conflicts.empty()) {
    attempt->error = absl::AbortedError(absl::StrCat(
        "both sides changed ", absl::StrJoin(conflicts, ", "),
        " since the last sync (conflict_policy RAISE_FAILURE); correct the "
        "value on one side, then reprocess or skip this failure"));
    return absl::OkStatus();
  }
  if (writes.empty()) return absl::OkStatus();
  absl::Status updated = attempt->writer->Update(attempt->target, writes);
  if (!updated.ok()) {
    attempt->error = updated;
    return absl::OkStatus();
  }
  attempt->wrote = true;
  RecordSynced(intent, writes, &attempt->link);
  return absl::OkStatus();
}

absl::Status ChangeApplier::PostComments(
    const google::protobuf::RepeatedPtrField<ferry::v1::CommentWrite>& comments,
    const std::string& from_system, EntityWriter* writer,
    const EntityRef& target, Attempt* attempt) {
  // The ids of `from_system` already handled: comments copied from it, and
  // copies Ferry wrote into it (its own echoes).
  absl::flat_hash_set<std::string> posted;
  for (const auto& pair : attempt->link.comments()) {
    if (pair.source_system().empty() || pair.source_system() == from_system) {
      posted.insert(pair.source_comment_id());
    }
    if (pair.source_system() != from_system) {
      posted.insert(pair.target_comment_id());
    }
  }
  for (const auto& comment : mapping::UnpostedComments(comments, posted)) {
    const std::string& sub = comment.source_comment_id();
    const std::string origin =
        absl::StrCat(OriginOf(attempt->key), "/comment/", sub);
    // Pending records of both sides share the entity's key.
    const std::string pending_sub = absl::StrCat(from_system, "/", sub);
    auto record_pair = [&](const std::string& target_id) {
      auto* pair = attempt->link.add_comments();
      pair->set_source_comment_id(sub);
      pair->set_target_comment_id(target_id);
      pair->set_source_system(from_system);
      ClearPending(attempt, pending_sub);
      attempt->wrote = true;
    };

    if (MayBePending(attempt->key, pending_sub)) {
      auto found = writer->FindComment(target, origin);
      if (!found.ok()) {
        attempt->error = found.status();
        return absl::OkStatus();
      }
      if (found->has_value()) {
        record_pair(**found);
        continue;
      }
    }
    ferry::v1::PendingWrite record;
    record.set_kind(ferry::v1::PendingWrite::KIND_COMMENT);
    record.set_origin(origin);
    record.set_target_id(target.id);
    *record.mutable_started_at() = ToProto(clock_());
    absl::Status recorded = RecordPending(attempt->key, pending_sub, record);
    if (!recorded.ok()) return recorded;

    auto id = writer->AddComment(target, comment, origin);
    if (!id.ok()) {
      attempt->error = id.status();
      return absl::OkStatus();
    }
    record_pair(*id);
  }
  return absl::OkStatus();
}

absl::Status ChangeApplier::WriteBack(const ferry::v1::WriteIntent& intent,
                                      Attempt* attempt) {
  const auto& writeback = plan_->mapping.remote_entity();
  if (writeback.id_field().empty() && writeback.url_field().empty() &&
      !writeback.as_comment()) {
    return absl::OkStatus();
  }
  // Only the integration's source learns where its copy lives: a change
  // flowing back from the target writes nothing onto the target.
  if (intent.target_system() != plan_->config.target().system()) {
    return absl::OkStatus();
  }
  const auto& source = intent.change().entity();
  const auto& source_system = plan_->OtherSide(intent.target_system());
  const mapping::SystemSchema* schema =
      mapping::FindSystemSchema(source_system.kind());
  auto writer = writers_.find(source.system());
  if (schema == nullptr || writer == writers_.end()) return absl::OkStatus();
  ferry::v1::Entity created;
  created.set_system(intent.target_system());
  created.set_id(attempt->target.id);
  created.set_display_key(attempt->target.key);
  created.set_url(attempt->target.url);
  auto back = mapping::BuildRemoteEntityWriteback(writeback, *schema, source, created);
  if (!back.ok()) {
    attempt->error = back.status();
    return absl::OkStatus();
  }
  if (!back->has_value()) return absl::OkStatus();
  const EntityRef source_ref{source.id(), source.display_key(), source.url()};
  auto& synced = *attempt->link.mutable_last_synced();
  std::vector<ferry::v1::FieldWrite> fields;
  for (const auto& write : (*back)->fields()) {
    auto last = synced.find(SyncedKey(source.system(), write.target_field()));
    if (last == synced.end() ||
        mapping::Fingerprint(last->second) != mapping::Fingerprint(write.value())) {
      fields.push_back(write);
    }
  }
  if (!fields.empty()) {
    absl::Status updated = writer->second->Update(source_ref, fields);
    if (!updated.ok()) {
      attempt->error = updated;
      return absl::OkStatus();
    }
    attempt->wrote = true;
    for (const auto& write : fields) {
      synced[SyncedKey(source.system(), write.target_field())] = write.value();
    }
  }
  return PostComments((*back)->comments(), intent.target_system(), writer->second,
                      source_ref, attempt);
}

absl::StatusOr<ChangeOutcome> ChangeApplier::Park(
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
  ChangeOutcome outcome;
  outcome.set_change_id(change.change_id());
  outcome.set_kind(ChangeOutcome::KIND_PARKED);
  outcome.set_detail(absl::StrCat("failure ", failure.id(), ": ", error));
  return outcome;
}

absl::StatusOr<ferry::v1::WriteIntent> ChangeApplier::Remap(
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

absl::StatusOr<ferry::v1::ChangeEvent> ChangeApplier::Refreshed(
    const ferry::v1::ChangeEvent& change) const {
  auto writer = writers_.find(change.entity().system());
  if (writer == writers_.end()) return change;
  EntityRef source;
  source.id = change.entity().id();
  source.key = change.entity().display_key();
  auto current = writer->second->Get(source);
  if (!current.ok()) return current.status();
  ferry::v1::ChangeEvent fresh = change;
  *fresh.mutable_entity()->mutable_fields() = current->fields();
  if (current->has_updated_at()) {
    *fresh.mutable_entity()->mutable_updated_at() = current->updated_at();
  }
  return fresh;
}

absl::Status ChangeApplier::RunChain(
    const EntityKey& entity, bool force,
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
    Attempt attempt;
    absl::Status error;
    ferry::v1::WriteIntent intent;
    auto change = Refreshed(failure.change());
    if (!change.ok()) {
      error = change.status();
    } else {
      auto mapped = Remap(*change);
      if (!mapped.ok()) return mapped.status();
      intent = *std::move(mapped);
      if (!intent.mapping_error().empty()) {
        error = absl::InvalidArgumentError(intent.mapping_error());
      } else {
        absl::Status state = Write(intent, &attempt);
        if (!state.ok()) return state;
        error = attempt.error;
      }
    }
    StateStore::Batch batch;
    if (error.ok()) {
      batch.DeleteFailure(failure);
      absl::Status written = store_->Write(std::move(batch));
      if (!written.ok()) return written;
      CountOpen(failure.source_system(), failure.source_id(), -1);
      if (response != nullptr) response->set_affected(response->affected() + 1);
      if (outcomes != nullptr) {
        outcomes->push_back(Outcome(intent,
                                    attempt.wrote ? ChangeOutcome::KIND_WRITTEN
                                                  : ChangeOutcome::KIND_SKIPPED,
                                    attempt.skip_reason, attempt.target.id));
      }
      continue;  // The next change of the entity may go now.
    }
    ferry::v1::Failure again = failure;
    again.set_attempts(failure.attempts() + 1);
    again.set_error(std::string(error.message()));
    again.clear_next_attempt();
    if (again.attempts() < MaxAttempts()) {
      *again.mutable_next_attempt() = ToProto(now + Backoff(again.attempts()));
    }
    batch.PutFailure(again);
    absl::Status written = store_->Write(std::move(batch));
    if (!written.ok()) return written;
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

absl::StatusOr<std::vector<ChangeOutcome>> ChangeApplier::RetryDue() {
  // One chain per entity, from its oldest open failure.
  std::vector<EntityKey> entities;
  absl::flat_hash_set<std::string> seen;
  absl::Status listed = store_->ForEachFailure(
      plan_->config.name(), "", [&](const ferry::v1::Failure& failure) {
        if (failure.state() == ferry::v1::FAILURE_STATE_OPEN &&
            seen.insert(EntityTag(failure.source_system(), failure.source_id()))
                .second) {
          entities.push_back({failure.integration(), failure.source_system(),
                              failure.source_id()});
        }
        return true;
      });
  if (!listed.ok()) return listed;
  std::vector<ChangeOutcome> outcomes;
  for (const auto& entity : entities) {
    absl::Status ran = RunChain(entity, /*force=*/false, &outcomes, nullptr);
    if (!ran.ok()) return ran;
  }
  return outcomes;
}

absl::StatusOr<std::vector<ferry::v1::Failure>> ChangeApplier::Select(
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

absl::StatusOr<ferry::v1::FailureActionResponse> ChangeApplier::Reprocess(
    const ferry::v1::FailureSelector& selector) {
  auto selected = Select(selector);
  if (!selected.ok()) return selected.status();
  ferry::v1::FailureActionResponse response;
  absl::flat_hash_set<std::string> done;
  for (const auto& failure : *selected) {
    if (!done.insert(EntityTag(failure.source_system(), failure.source_id()))
             .second) {
      continue;
    }
    absl::Status ran = RunChain({failure.integration(), failure.source_system(),
                                 failure.source_id()},
                                /*force=*/true, nullptr, &response);
    if (!ran.ok()) return ran;
  }
  return response;
}

absl::StatusOr<ferry::v1::FailureActionResponse> ChangeApplier::Skip(
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
    response.set_affected(response.affected() + 1);
    // The entity's next change no longer waits.
    absl::Status ran = RunChain({failure.integration(), failure.source_system(),
                                 failure.source_id()},
                                /*force=*/true, nullptr, nullptr);
    if (!ran.ok()) return ran;
  }
  return response;
}

absl::Status ChangeApplier::LoadState() {
  if (open_failures_.has_value()) return absl::OkStatus();
  // A crash left the group of the batch it interrupted: its members are
  // dealt with one by one from now on.
  if (absl::Status split = store_->SplitPendingGroups(plan_->config.name());
      !split.ok()) {
    return split;
  }
  absl::Status scanned = store_->ForEachPending(
      plan_->config.name(),
      [&](const EntityKey& entity, absl::string_view sub,
          const ferry::v1::PendingWrite& pending) {
        if (pending.kind() == ferry::v1::PendingWrite::KIND_UPDATE) {
          suspect_.insert(EntityTag(entity.system, entity.id));
        } else {
          pending_.insert(PendingTag(entity, sub));
        }
        return true;
      });
  if (!scanned.ok()) return scanned;
  absl::flat_hash_map<std::string, int> open;
  absl::Status listed = store_->ForEachFailure(
      plan_->config.name(), "", [&](const ferry::v1::Failure& failure) {
        if (failure.state() == ferry::v1::FAILURE_STATE_OPEN) {
          ++open[EntityTag(failure.source_system(), failure.source_id())];
        }
        return true;
      });
  if (!listed.ok()) return listed;
  open_failures_ = std::move(open);
  return absl::OkStatus();
}

void ChangeApplier::CountOpen(const std::string& system, const std::string& id,
                              int delta) {
  if (!open_failures_.has_value()) return;  // Loaded fresh on first use.
  const std::string key = EntityTag(system, id);
  if ((*open_failures_)[key] += delta; (*open_failures_)[key] <= 0) {
    open_failures_->erase(key);
  }
}

absl::Duration ChangeApplier::Backoff(int attempts) const {
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

int ChangeApplier::MaxAttempts() const {
  const int configured = plan_->config.retry().max_attempts();
  return configured > 0 ? configured : kDefaultMaxAttempts;
}

}  // namespace ferry::engine
