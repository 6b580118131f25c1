#include "engine/writer/write_steps.h"

#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/proto_time.h"
#include "engine/writer/link_record.h"
#include "mapping/criteria.h"
#include "mapping/field_value.h"
#include "mapping/remote_entity.h"
#include "mapping/sync_decision.h"
#include "mapping/system_schema.h"
#include "spdlog/spdlog.h"

namespace ferry::engine {
namespace {

// Skip details of the target lookup start with this.
constexpr absl::string_view kLookupSkip = "target lookup ";

bool Syncs(mapping::CriteriaDecision criteria) {
  return criteria != mapping::CriteriaDecision::kSkipUnmatched &&
         criteria != mapping::CriteriaDecision::kStopUnmatched;
}

}  // namespace

// What one application of a change has done so far.
struct WriteSteps::Attempt {
  WriteJournal::Entry entry;  // The source entity's, saved with the link.
  EntityWriter* writer = nullptr;
  ferry::v1::Link link;
  bool linked = false;  // `link` holds a target.
  Result result;
};

WriteSteps::WriteSteps(std::shared_ptr<const IntegrationPlan> plan,
                       WriteJournal* journal,
                       absl::flat_hash_map<std::string, EntityWriter*> writers,
                       std::function<absl::Time()> clock)
    : plan_(std::move(plan)),
      journal_(journal),
      writers_(std::move(writers)),
      clock_(std::move(clock)) {}

absl::StatusOr<WriteSteps::Result> WriteSteps::Write(
    const ferry::v1::WriteIntent& intent) {
  Attempt attempt;
  absl::Status state = Run(intent, &attempt);
  if (!state.ok()) return state;
  return std::move(attempt.result);
}

bool WriteSteps::CreatesWithoutLookup(const ferry::v1::WriteIntent& intent) const {
  return intent.mapping_error().empty() && intent.target_lookup_query().empty() &&
         !intent.change().created_before_start() &&
         intent.target_lookup_unfilled().empty() &&
         writers_.contains(intent.target_system()) &&
         Syncs(mapping::DecideCriteria(intent.matches_criteria(), /*linked=*/false,
                                       plan_->config.criteria().stop_when_unmatched()));
}

absl::Status WriteSteps::Run(const ferry::v1::WriteIntent& intent,
                             Attempt* attempt) {
  const auto& entity = intent.change().entity();
  absl::Status started = journal_->Start(
      {plan_->config.name(), entity.system(), entity.id()}, &attempt->entry);
  if (!started.ok()) return started;
  auto writer = writers_.find(intent.target_system());
  if (writer == writers_.end()) {
    attempt->result.error = absl::FailedPreconditionError(absl::StrCat(
        "no writer for system '", intent.target_system(), "'"));
    return absl::OkStatus();
  }
  attempt->writer = writer->second;

  auto link = journal_->FindLink(attempt->entry.key);
  if (!link.ok()) return link.status();
  if (link->has_value()) {
    attempt->link = **link;
    attempt->linked = true;
    attempt->result.target = CounterpartOf(attempt->link, entity.system(), entity.id());
  }

  const auto criteria = mapping::DecideCriteria(
      intent.matches_criteria(), attempt->linked,
      plan_->config.criteria().stop_when_unmatched());
  if (!Syncs(criteria)) {
    attempt->result.skip = Result::Skip::kCriteria;
    attempt->result.skip_reason = std::string(mapping::Explain(criteria));
    return absl::OkStatus();
  }

  if (!attempt->linked) {
    absl::Status found = FindOrCreateTarget(intent, attempt);
    if (!found.ok() || !attempt->linked) return found;
  } else {
    absl::Status updated = UpdateFields(intent, attempt);
    if (!updated.ok()) return updated;
  }
  if (attempt->result.error.ok() && attempt->result.skip == Result::Skip::kNone) {
    absl::Status posted =
        PostComments(intent.comments(), intent.change().entity().system(),
                     attempt->writer, attempt->result.target, attempt);
    if (!posted.ok()) return posted;
  }
  if (attempt->result.error.ok() && attempt->result.skip == Result::Skip::kNone) {
    absl::Status written_back = WriteBack(intent, attempt);
    if (!written_back.ok()) return written_back;
  }

  // Record what was done, even when an error stopped it half way.
  *attempt->link.mutable_last_synced_at() = ToProto(clock_());
  return journal_->Save(attempt->link, &attempt->entry);
}

absl::Status WriteSteps::FindOrCreateTarget(
    const ferry::v1::WriteIntent& intent, Attempt* attempt) {
  const auto& entity = intent.change().entity();
  const std::string origin = OriginOf(attempt->entry.key);
  auto link_to = [&](EntityRef ref) {
    attempt->result.target = std::move(ref);
    attempt->linked = true;
    auto& link = attempt->link;
    link.set_integration(plan_->config.name());
    link.set_source_system(entity.system());
    link.set_source_id(entity.id());
    link.set_source_key(entity.display_key());
    link.set_target_system(intent.target_system());
    link.set_target_id(attempt->result.target.id);
    link.set_target_key(attempt->result.target.key);
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
  const bool recorded = journal_->TakeRecordedCreate(attempt->entry.key);
  // A create a crash interrupted: did it land?
  if (!recorded && journal_->MayBePending(attempt->entry.key, "")) {
    auto found = attempt->writer->FindCreated(request);
    if (!found.ok()) {
      attempt->result.error = found.status();
      return absl::OkStatus();
    }
    if (found->has_value()) {
      link_to(**found);
      journal_->ClearPending(&attempt->entry, "");
      return UpdateFields(intent, attempt);
    }
  }

  if (!intent.target_lookup_query().empty()) {
    auto matches = attempt->writer->Lookup(intent.target_project(),
                                           intent.target_lookup_query());
    if (!matches.ok()) {
      attempt->result.error = matches.status();
      return absl::OkStatus();
    }
    const auto& lookup = plan_->config.target_lookup();
    if (matches->size() > 1 &&
        lookup.on_many() == ferry::v1::TargetLookup::ON_MANY_FAIL) {
      std::vector<std::string> keys;
      for (const auto& match : *matches) keys.push_back(match.key);
      attempt->result.error = absl::FailedPreconditionError(absl::StrCat(
          "target lookup '", intent.target_lookup_query(), "' found ",
          matches->size(), " entities (", absl::StrJoin(keys, ", "),
          "); make the query match one, or set on_many: FIRST"));
      return absl::OkStatus();
    }
    if (!matches->empty()) {
      link_to(matches->front());
      if (lookup.on_match() == ferry::v1::TargetLookup::ON_MATCH_SKIP) {
        attempt->result.skip = Result::Skip::kLookup;
        attempt->result.skip_reason = absl::StrCat(
            kLookupSkip, "found ", attempt->result.target.key,
            "; linked it and wrote nothing (on_match: SKIP)");
        return absl::OkStatus();
      }
      return UpdateFields(intent, attempt);
    }
    if (lookup.on_none() == ferry::v1::TargetLookup::ON_NONE_SKIP) {
      attempt->result.skip = Result::Skip::kLookup;
      attempt->result.skip_reason = absl::StrCat(
          kLookupSkip, "'", intent.target_lookup_query(),
          "' found nothing; not created (on_none: SKIP)");
      return absl::OkStatus();
    }
  }
  // A lookup whose placeholder has no value found nothing to link: on_none
  // decides, as above.
  if (!intent.target_lookup_unfilled().empty() &&
      plan_->config.target_lookup().on_none() == ferry::v1::TargetLookup::ON_NONE_SKIP) {
    attempt->result.skip = Result::Skip::kLookup;
    attempt->result.skip_reason =
        absl::StrCat(intent.target_lookup_unfilled(), "; not created (on_none: SKIP)");
    return absl::OkStatus();
  }

  // An entity older than the integration gets no new counterpart; one the
  // target lookup found above is linked all the same.
  if (intent.change().created_before_start()) {
    attempt->result.skip = Result::Skip::kBeforeStart;
    attempt->result.skip_reason =
        "created before the integration's start (start_time, or its first start): "
        "no counterpart is created; a backfill to an earlier time syncs it";
    return absl::OkStatus();
  }

  if (!recorded) {
    absl::Status written =
        journal_->RecordCreate(attempt->entry.key);
    if (!written.ok()) return written;
  }

  auto created = attempt->writer->Create(request);
  if (!created.ok()) {
    // The pending record stays: the next attempt asks whether it landed.
    attempt->result.error = created.status();
    return absl::OkStatus();
  }
  link_to(*created);
  attempt->result.wrote = true;
  journal_->ClearPending(&attempt->entry, "");
  RecordSynced(intent, request.fields, &attempt->link);
  return absl::OkStatus();
}

bool WriteSteps::NeedsTarget(const ferry::v1::WriteIntent& intent,
                             const Attempt& attempt) const {
  // NEWEST_WINS reads only when the target refuses a write (UpdateFields).
  if (!mapping::ReadsTargetBeforeUpdate(plan_->config.conflict_policy())) return false;
  const bool suspect = journal_->IsSuspect(attempt.entry.key);
  const auto& synced = attempt.link.last_synced();
  for (const auto& write : intent.fields()) {
    if (!mapping::SyncWhenApplies(write.sync_when(), /*creating=*/false)) continue;
    auto last = synced.find(SyncedKey(intent.target_system(), write.target_field()));
    if (suspect || last == synced.end() ||
        mapping::Fingerprint(last->second) != mapping::Fingerprint(write.value())) {
      return true;
    }
  }
  return false;
}

absl::Status WriteSteps::ReadTarget(Attempt* attempt,
                                    std::optional<ferry::v1::Entity>* current) {
  auto got = attempt->writer->Get(attempt->result.target);
  if (!got.ok()) {
    attempt->result.error = got.status();
    return got.status();
  }
  *current = *std::move(got);
  return absl::OkStatus();
}

absl::Status WriteSteps::UpdateFields(const ferry::v1::WriteIntent& intent,
                                      Attempt* attempt) {
  std::optional<ferry::v1::Entity> current;
  if (NeedsTarget(intent, *attempt) && !ReadTarget(attempt, &current).ok()) {
    return absl::OkStatus();  // the end system's error is the result
  }
  std::vector<ferry::v1::FieldWrite> writes;
  if (!DecideWrites(intent, current, attempt, &writes)) return absl::OkStatus();
  if (writes.empty()) return absl::OkStatus();
  absl::Status updated = attempt->writer->Update(attempt->result.target, writes);
  if (absl::IsAborted(updated) && !current.has_value()) {
    // The target saw the entity change since Ferry last wrote it (a
    // person's change the reader has not brought yet): read it and decide
    // again, once, as a policy that reads would have.
    if (!ReadTarget(attempt, &current).ok()) return absl::OkStatus();
    attempt->result.unwritten.clear();
    attempt->result.refused.clear();
    writes.clear();
    if (!DecideWrites(intent, current, attempt, &writes)) return absl::OkStatus();
    if (writes.empty()) return absl::OkStatus();
    updated = attempt->writer->Update(attempt->result.target, writes);
  }
  if (!updated.ok()) {
    attempt->result.error = updated;
    return absl::OkStatus();
  }
  attempt->result.wrote = true;
  RecordSynced(intent, writes, &attempt->link);
  return absl::OkStatus();
}

bool WriteSteps::DecideWrites(const ferry::v1::WriteIntent& intent,
                              const std::optional<ferry::v1::Entity>& current,
                              Attempt* attempt, std::vector<ferry::v1::FieldWrite>* writes) {
  const auto& entity = intent.change().entity();
  const auto policy = plan_->config.conflict_policy();
  const auto& synced = attempt->link.last_synced();
  // A crash came between a write of this entity and its record: what the
  // link says was synced may not be what the target holds.
  const bool suspect = journal_->IsSuspect(attempt->entry.key);
  std::vector<std::string> conflicts;
  for (const auto& write : intent.fields()) {
    mapping::FieldSyncState state;
    state.creating = false;
    auto last = synced.find(SyncedKey(intent.target_system(), write.target_field()));
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
      writes->push_back(write);
    } else if (outcome == mapping::FieldOutcome::kSkipCannotClear) {
      const std::string refused = absl::StrCat(
          write.target_field(), " cleared on the source but not written: ",
          write.cannot_clear());
      spdlog::warn("{} {}: {}", intent.target_system(), attempt->result.target.id, refused);
      attempt->result.refused.push_back(refused);
      attempt->result.unwritten.push_back(refused);
    } else {
      attempt->result.unwritten.push_back(absl::StrCat(
          write.target_field(), ": ", mapping::Explain(outcome)));
    }
  }
  if (!conflicts.empty()) {
    attempt->result.error = absl::AbortedError(absl::StrCat(
        "both sides changed ", absl::StrJoin(conflicts, ", "),
        " since the last sync (conflict_policy RAISE_FAILURE); correct the "
        "value on one side, then reprocess or skip this failure"));
    return false;
  }
  return true;
}

absl::Status WriteSteps::PostComments(
    const google::protobuf::RepeatedPtrField<ferry::v1::CommentWrite>& comments,
    const std::string& from_system, EntityWriter* writer,
    const EntityRef& target, Attempt* attempt) {
  const absl::flat_hash_set<std::string> posted =
      HandledCommentIds(attempt->link, from_system);
  for (const auto& comment : mapping::UnpostedComments(comments, posted)) {
    const std::string& sub = comment.source_comment_id();
    const std::string origin = CommentOriginOf(attempt->entry.key, sub);
    // Pending records of both sides share the entity's key.
    const std::string pending_sub = absl::StrCat(from_system, "/", sub);
    auto record_pair = [&](const std::string& target_id) {
      auto* pair = attempt->link.add_comments();
      pair->set_source_comment_id(sub);
      pair->set_target_comment_id(target_id);
      pair->set_source_system(from_system);
      journal_->ClearPending(&attempt->entry, pending_sub);
      attempt->result.wrote = true;
    };

    if (journal_->MayBePending(attempt->entry.key, pending_sub)) {
      auto found = writer->FindComment(target, origin);
      if (!found.ok()) {
        attempt->result.error = found.status();
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
    absl::Status recorded = journal_->RecordPending(attempt->entry.key, pending_sub, record);
    if (!recorded.ok()) return recorded;

    auto id = writer->AddComment(target, comment, origin);
    if (!id.ok()) {
      attempt->result.error = id.status();
      return absl::OkStatus();
    }
    record_pair(*id);
  }
  return absl::OkStatus();
}

absl::Status WriteSteps::WriteBack(const ferry::v1::WriteIntent& intent,
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
  created.set_id(attempt->result.target.id);
  created.set_display_key(attempt->result.target.key);
  created.set_url(attempt->result.target.url);
  auto back = mapping::BuildRemoteEntityWriteback(writeback, *schema, source, created);
  if (!back.ok()) {
    attempt->result.error = back.status();
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
      attempt->result.error = updated;
      return absl::OkStatus();
    }
    attempt->result.wrote = true;
    for (const auto& write : fields) {
      synced[SyncedKey(source.system(), write.target_field())] = write.value();
    }
  }
  return PostComments((*back)->comments(), intent.target_system(), writer->second,
                      source_ref, attempt);
}

}  // namespace ferry::engine
