#include "engine/writer/write_journal.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/common/proto_time.h"
#include "engine/writer/link_record.h"

namespace ferry::engine {
namespace {

// The pending-write `sub` marking an entity whose fields are being written.
constexpr absl::string_view kWritingSub = "~writing";

// How the journal's in-memory sets name an entity ("system\nid").
std::string EntityTag(absl::string_view system, absl::string_view id) {
  return absl::StrCat(system, "\n", id);
}

// How the journal names a pending record ("system\nid\nsub").
std::string PendingTag(const EntityKey& entity, absl::string_view sub) {
  return absl::StrCat(entity.system, "\n", entity.id, "\n", sub);
}

// The pending record of an entity's create, started at `started`.
ferry::v1::PendingWrite CreateRecord(const EntityKey& entity, absl::Time started) {
  ferry::v1::PendingWrite record;
  record.set_kind(ferry::v1::PendingWrite::KIND_CREATE);
  record.set_origin(OriginOf(entity));
  *record.mutable_started_at() = ToProto(started);
  return record;
}

}  // namespace

WriteJournal::WriteJournal(std::string integration, StateStore* store,
                           std::function<absl::Time()> clock)
    : integration_(std::move(integration)), store_(store), clock_(std::move(clock)) {}

absl::Status WriteJournal::Load() {
  if (loaded_) return absl::OkStatus();
  // A crash left the group of the batch it interrupted: its members are
  // dealt with one by one from now on.
  if (absl::Status split = store_->SplitPendingGroups(integration_); !split.ok()) {
    return split;
  }
  absl::Status scanned = store_->ForEachPending(
      integration_, [&](const EntityKey& entity, absl::string_view sub,
                        const ferry::v1::PendingWrite& pending) {
        if (pending.kind() == ferry::v1::PendingWrite::KIND_UPDATE) {
          suspect_.insert(EntityTag(entity.system, entity.id));
        } else {
          pending_.insert(PendingTag(entity, sub));
        }
        return true;
      });
  if (!scanned.ok()) return scanned;
  loaded_ = true;
  return absl::OkStatus();
}

absl::Status WriteJournal::BeginBatch(const std::vector<EntityKey>& entities,
                                      const WillCreate& will_create) {
  open_batch_.emplace();
  open_links_.clear();
  stored_links_.clear();
  recorded_creates_.clear();
  group_creates_.clear();
  open_cleared_.clear();
  open_group_started_ = clock_();
  ferry::v1::PendingGroup group;
  for (const EntityKey& key : entities) {
    const std::string tag = EntityTag(key.system, key.id);
    auto link = store_->FindLink(key);
    if (!link.ok()) return link.status();
    const bool linked = link->has_value();
    stored_links_.emplace(tag, *std::move(link));
    auto* member = group.add_members();
    member->set_system(key.system);
    member->set_id(key.id);
    if (will_create(key, linked)) {
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
  marks.PutPendingGroup(integration_, group_number, group);
  open_batch_->DeletePendingGroup(integration_, group_number);
  // Tracked before the write: a write that fails may still have landed.
  for (const auto& [tag, key] : recorded_creates_) pending_.insert(PendingTag(key, ""));
  absl::Status written = store_->Write(std::move(marks));
  if (!written.ok()) {
    recorded_creates_.clear();
    group_creates_.clear();
  }
  return written;
}

absl::Status WriteJournal::CommitBatch(StateStore::Batch also) {
  if (!open_batch_.has_value()) return absl::OkStatus();
  StateStore::Batch batch = std::move(*open_batch_);
  open_batch_.reset();
  batch.Append(std::move(also));
  // The batch's group goes (batch already deletes it); a create it
  // recorded that was tried and did not land for sure keeps a record of
  // its own, for the next attempt to look for it. One never tried (the
  // change went another way) needs none.
  for (const auto& [tag, key] : group_creates_) {
    if (recorded_creates_.contains(tag)) {
      open_cleared_.push_back(PendingTag(key, ""));
    } else {
      batch.PutPending(key, "", CreateRecord(key, open_group_started_));
    }
  }
  recorded_creates_.clear();
  group_creates_.clear();
  stored_links_.clear();
  for (const auto& [tag, link] : open_links_) suspect_.erase(tag);
  open_links_.clear();
  absl::Status written = store_->Write(std::move(batch));
  if (written.ok()) Forget(open_cleared_);
  open_cleared_.clear();
  return written;
}

absl::Status WriteJournal::Start(const EntityKey& entity, Entry* entry) {
  entry->key = entity;
  if (open_batch_.has_value()) return absl::OkStatus();  // The group marks it.
  ferry::v1::PendingWrite writing;
  writing.set_kind(ferry::v1::PendingWrite::KIND_UPDATE);
  *writing.mutable_started_at() = ToProto(clock_());
  StateStore::Batch marks;
  marks.PutPending(entity, kWritingSub, writing);
  entry->batch.DeletePending(entity, kWritingSub);
  return store_->Write(std::move(marks));
}

absl::Status WriteJournal::Save(const ferry::v1::Link& link, Entry* entry) {
  StateStore::Batch batch = std::move(entry->batch);
  batch.PutLink(link);
  if (!open_batch_.has_value()) {
    absl::Status written = store_->Write(std::move(batch));
    if (written.ok()) {
      suspect_.erase(EntityTag(link.source_system(), link.source_id()));
      suspect_.erase(EntityTag(link.target_system(), link.target_id()));
      Forget(entry->cleared);
    }
    return written;
  }
  open_batch_->Append(std::move(batch));
  open_cleared_.insert(open_cleared_.end(), entry->cleared.begin(),
                       entry->cleared.end());
  open_links_[EntityTag(link.source_system(), link.source_id())] = link;
  open_links_[EntityTag(link.target_system(), link.target_id())] = link;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ferry::v1::Link>> WriteJournal::FindLink(
    const EntityKey& entity) const {
  const std::string tag = EntityTag(entity.system, entity.id);
  auto open = open_links_.find(tag);
  if (open != open_links_.end()) return open->second;
  auto stored = stored_links_.find(tag);
  if (stored != stored_links_.end()) return stored->second;
  return store_->FindLink(entity);
}

bool WriteJournal::TakeRecordedCreate(const EntityKey& entity) {
  return recorded_creates_.erase(EntityTag(entity.system, entity.id)) > 0;
}

bool WriteJournal::MayBePending(const EntityKey& entity,
                                absl::string_view sub) const {
  return pending_.contains(PendingTag(entity, sub));
}

absl::Status WriteJournal::RecordPending(const EntityKey& entity,
                                         absl::string_view sub,
                                         const ferry::v1::PendingWrite& record) {
  StateStore::Batch before;
  before.PutPending(entity, sub, record);
  // Tracked before the write: a write that fails may still have landed.
  pending_.insert(PendingTag(entity, sub));
  return store_->Write(std::move(before));
}

absl::Status WriteJournal::RecordCreate(const EntityKey& entity) {
  return RecordPending(entity, "", CreateRecord(entity, clock_()));
}

void WriteJournal::ClearPending(Entry* entry, absl::string_view sub) {
  // A create the open group recorded goes with the group.
  const bool in_group =
      sub.empty() &&
      group_creates_.erase(EntityTag(entry->key.system, entry->key.id)) > 0;
  if (!in_group) entry->batch.DeletePending(entry->key, sub);
  entry->cleared.push_back(PendingTag(entry->key, sub));
}

bool WriteJournal::IsSuspect(const EntityKey& entity) const {
  return suspect_.contains(EntityTag(entity.system, entity.id));
}

void WriteJournal::Forget(const std::vector<std::string>& tags) {
  for (const auto& tag : tags) pending_.erase(tag);
}

}  // namespace ferry::engine
