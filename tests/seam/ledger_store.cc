#include "tests/seam/ledger_store.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"

namespace ferry::seam {
namespace {

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::GetCurrentTimeNanos());
}

}  // namespace

LedgerStore& LedgerStore::Named(const std::string& name) {
  static absl::Mutex mu;
  static auto* const stores = new std::map<std::string, std::unique_ptr<LedgerStore>>();
  absl::MutexLock lock(&mu);
  std::unique_ptr<LedgerStore>& store = (*stores)[name];
  if (store == nullptr) store.reset(new LedgerStore());
  return *store;
}

int64_t LedgerStore::Record(LedgerWrite write) {
  write.revision = static_cast<int64_t>(writes_.size()) + 1;
  writes_.push_back(std::move(write));
  return writes_.back().revision;
}

ferry::v1::Entity LedgerStore::Create(const std::string& project, const std::string& type,
                                      const std::map<std::string, ferry::v1::FieldValue>& fields,
                                      const ferry::v1::UserRef& by, const std::string& origin,
                                      const std::string& key_prefix) {
  absl::MutexLock lock(&mu_);
  const int64_t number = next_id_++;
  LedgerEntry& entry = entries_[absl::StrCat(number)];
  ferry::v1::Entity& entity = entry.entity;
  entity.set_project(project);
  entity.set_type(type);
  entity.set_id(absl::StrCat(number));
  entity.set_display_key(absl::StrCat(key_prefix.empty() ? "ENTRY" : key_prefix, "-", number));
  *entity.mutable_created_at() = Now();
  *entity.mutable_updated_at() = entity.created_at();
  *entity.mutable_last_changed_by() = by;
  entity.set_comments_complete(true);
  entry.origin = origin;
  LedgerWrite write{0, entity.id(), by.id(), true, {}};
  for (const auto& [name, value] : fields) {
    (*entity.mutable_fields())[name] = value;
    ferry::v1::FieldChange change;
    change.set_field(name);
    *change.mutable_new_value() = value;
    *change.mutable_changed_by() = by;
    *change.mutable_changed_at() = entity.created_at();
    write.changes.push_back(std::move(change));
  }
  entity.set_revision(Record(std::move(write)));
  return entity;
}

absl::Status LedgerStore::SetFields(const std::string& id,
                                    const std::map<std::string, ferry::v1::FieldValue>& fields,
                                    const ferry::v1::UserRef& by) {
  absl::MutexLock lock(&mu_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return absl::NotFoundError(absl::StrCat("no ledger entry ", id));
  ferry::v1::Entity& entity = it->second.entity;
  *entity.mutable_updated_at() = Now();
  *entity.mutable_last_changed_by() = by;
  LedgerWrite write{0, id, by.id(), false, {}};
  for (const auto& [name, value] : fields) {
    ferry::v1::FieldChange change;
    change.set_field(name);
    if (const auto old = entity.fields().find(name); old != entity.fields().end()) {
      *change.mutable_old_value() = old->second;
    }
    *change.mutable_new_value() = value;
    *change.mutable_changed_by() = by;
    *change.mutable_changed_at() = entity.updated_at();
    write.changes.push_back(std::move(change));
    (*entity.mutable_fields())[name] = value;
  }
  entity.set_revision(Record(std::move(write)));
  return absl::OkStatus();
}

absl::StatusOr<std::string> LedgerStore::AddRemark(const std::string& id,
                                                   const std::string& body,
                                                   const ferry::v1::UserRef& by,
                                                   const std::string& origin) {
  absl::MutexLock lock(&mu_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return absl::NotFoundError(absl::StrCat("no ledger entry ", id));
  ferry::v1::Entity& entity = it->second.entity;
  ferry::v1::Comment& remark = *entity.add_comments();
  remark.set_id(absl::StrCat(id, "-r", entity.comments_size()));
  remark.set_kind("remark");
  *remark.mutable_author() = by;
  *remark.mutable_created_at() = Now();
  *remark.mutable_updated_at() = remark.created_at();
  remark.set_body(body);
  if (!origin.empty()) it->second.remark_origins[remark.id()] = origin;
  *entity.mutable_updated_at() = remark.created_at();
  entity.set_revision(Record(LedgerWrite{0, id, by.id(), false, {}}));
  return remark.id();
}

std::optional<LedgerEntry> LedgerStore::Get(const std::string& id) const {
  absl::MutexLock lock(&mu_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::vector<LedgerEntry> LedgerStore::Entries(const std::string& project) const {
  absl::MutexLock lock(&mu_);
  std::vector<LedgerEntry> out;
  for (const auto& [id, entry] : entries_) {
    if (entry.entity.project() == project) out.push_back(entry);
  }
  std::sort(out.begin(), out.end(), [](const LedgerEntry& a, const LedgerEntry& b) {
    return std::stoll(a.entity.id()) < std::stoll(b.entity.id());  // creation order
  });
  return out;
}

std::vector<LedgerWrite> LedgerStore::WritesAfter(int64_t revision) const {
  absl::MutexLock lock(&mu_);
  if (revision < 0) revision = 0;
  if (revision >= static_cast<int64_t>(writes_.size())) return {};
  return std::vector<LedgerWrite>(writes_.begin() + revision, writes_.end());
}

}  // namespace ferry::seam
