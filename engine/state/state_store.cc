#include "engine/state/state_store.h"

#include <algorithm>
#include <atomic>
#include <cinttypes>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace ferry::engine {
namespace {

// Column families; Open() creates their handles in this order.
enum Family {
  kDefault = 0,
  kCheckpoints,    // integration \0 system \0 project -> SourcePosition
  kLinks,          // integration \0 source system \0 source id -> Link
  kLinksByTarget,  // integration \0 target system \0 target id -> source key
  kFailures,       // integration \0 failure id -> Failure
  kFailureIndex,   // integration \0 system \0 id \0 failure id -> ""
  kPending,        // integration \0 system \0 id \0 sub -> PendingWrite
  kCounters,       // integration \0 -> IntegrationCounters
  kFamilyCount,
};

const char* const kFamilyNames[kFamilyCount] = {
    "default",  "checkpoints",   "links",   "links_by_target",
    "failures", "failure_index", "pending", "counters",
};

constexpr char kSep = '\0';

// Memory RocksDB may use for write buffers (all column families) and for
// cached blocks: what keeps a writer with a million links small.
constexpr size_t kWriteBufferBudget = 32 << 20;
constexpr size_t kBlockCacheBytes = 16 << 20;

// Joins key components with '\0'. Ids from end systems never hold one; a
// component that does is refused rather than silently mis-keyed.
absl::StatusOr<std::string> Key(
    std::initializer_list<absl::string_view> parts) {
  std::string key;
  bool first = true;
  for (absl::string_view part : parts) {
    if (part.find(kSep) != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          "a state key component contains a NUL character");
    }
    if (!first) key.push_back(kSep);
    key.append(part.data(), part.size());
    first = false;
  }
  return key;
}

std::string Prefix(absl::string_view integration) {
  return absl::StrCat(integration, absl::string_view(&kSep, 1));
}

// A pending group's key: integration \0 (no system) \0 group, the group
// zero-padded so groups list in the order they were made. Entity keys
// always name a system, so the two never meet.
absl::StatusOr<std::string> GroupKey(absl::string_view integration,
                                     uint64_t group) {
  return Key({integration, "", absl::StrFormat("%020" PRIu64, group)});
}

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsIOError()) return absl::UnavailableError(message);
  if (status.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  return absl::InternalError(message);
}

template <typename Message>
absl::StatusOr<std::optional<Message>> Parse(const rocksdb::Status& status,
                                             const std::string& value,
                                             absl::string_view what) {
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) return FromRocks(status, what);
  Message message;
  if (!message.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat(what, ": record is corrupt"));
  }
  return message;
}

// Failure ids are zero-padded so that byte order is numeric order.
std::string FailureId(uint64_t sequence) {
  return absl::StrFormat("%020" PRIu64, sequence);
}

}  // namespace

// ---------------------------------------------------------------- Batch --

struct StateStore::Batch::Op {
  int family;
  bool put;  // false: delete
  std::string key;
  std::string value;
};

StateStore::Batch::Batch() = default;
StateStore::Batch::~Batch() = default;
StateStore::Batch::Batch(Batch&&) noexcept = default;
StateStore::Batch& StateStore::Batch::operator=(Batch&&) noexcept = default;

void StateStore::Batch::Add(int family, bool put,
                            absl::StatusOr<std::string> key,
                            std::string value) {
  if (!key.ok()) {
    if (status_.ok()) status_ = key.status();
    return;
  }
  ops_.push_back(Op{family, put, *std::move(key), std::move(value)});
}

void StateStore::Batch::PutCheckpoint(
    const PartitionKey& partition, const ferry::v1::SourcePosition& position) {
  Add(kCheckpoints, true,
      Key({partition.integration, partition.system, partition.project}),
      position.SerializeAsString());
}

void StateStore::Batch::PutCounters(absl::string_view integration,
                                    const ferry::v1::IntegrationCounters& counters) {
  // Under the integration's prefix, so DropIntegration removes it too.
  Add(kCounters, true, Key({integration, ""}), counters.SerializeAsString());
}

void StateStore::Batch::PutLink(const ferry::v1::Link& link) {
  Add(kLinks, true,
      Key({link.integration(), link.source_system(), link.source_id()}),
      link.SerializeAsString());
  auto source = Key({link.source_system(), link.source_id()});
  Add(kLinksByTarget, true,
      Key({link.integration(), link.target_system(), link.target_id()}),
      source.ok() ? *source : "");
}

void StateStore::Batch::PutFailure(const ferry::v1::Failure& failure) {
  Add(kFailures, true, Key({failure.integration(), failure.id()}),
      failure.SerializeAsString());
  Add(kFailureIndex, true,
      Key({failure.integration(), failure.source_system(), failure.source_id(),
           failure.id()}),
      "");
}

void StateStore::Batch::DeleteFailure(const ferry::v1::Failure& failure) {
  Add(kFailures, false, Key({failure.integration(), failure.id()}), "");
  Add(kFailureIndex, false,
      Key({failure.integration(), failure.source_system(), failure.source_id(),
           failure.id()}),
      "");
}

void StateStore::Batch::PutPending(const EntityKey& entity,
                                   absl::string_view sub,
                                   const ferry::v1::PendingWrite& pending) {
  // An empty system would read back as a group's key.
  Add(kPending, true,
      entity.system.empty()
          ? absl::InvalidArgumentError("a pending write names no system")
          : Key({entity.integration, entity.system, entity.id, sub}),
      pending.SerializeAsString());
}

void StateStore::Batch::DeletePending(const EntityKey& entity,
                                      absl::string_view sub) {
  Add(kPending, false,
      Key({entity.integration, entity.system, entity.id, sub}), "");
}

void StateStore::Batch::PutPendingGroup(absl::string_view integration,
                                        uint64_t group,
                                        const ferry::v1::PendingGroup& members) {
  Add(kPending, true, GroupKey(integration, group), members.SerializeAsString());
}

void StateStore::Batch::DeletePendingGroup(absl::string_view integration,
                                           uint64_t group) {
  Add(kPending, false, GroupKey(integration, group), "");
}

void StateStore::Batch::Append(Batch other) {
  if (status_.ok()) status_ = other.status_;
  ops_.insert(ops_.end(), std::make_move_iterator(other.ops_.begin()),
              std::make_move_iterator(other.ops_.end()));
}

int StateStore::Batch::size() const { return static_cast<int>(ops_.size()); }

// ---------------------------------------------------------------- Store --

struct StateStore::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  rocksdb::WriteOptions write_options;
  std::atomic<uint64_t> last_failure_sequence{0};

  rocksdb::ColumnFamilyHandle* family(int f) const { return families[f]; }

  ~Impl() {
    for (auto* handle : families) db->DestroyColumnFamilyHandle(handle);
  }

  // Visits keys of `family` that start with `prefix`, from `start` on.
  absl::Status Scan(
      int f, const std::string& prefix, const std::string& start,
      const std::function<bool(const rocksdb::Slice& key,
                               const rocksdb::Slice& value)>& visit) const {
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), family(f)));
    for (it->Seek(start.empty() ? prefix : start);
         it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (!visit(it->key(), it->value())) break;
    }
    return FromRocks(it->status(), "scanning state");
  }
};

StateStore::StateStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StateStore::~StateStore() = default;

absl::StatusOr<std::unique_ptr<StateStore>> StateStore::Open(
    const std::string& dir, const Options& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = options.create_if_missing;
  // A state written by an older Ferry lacks the families added since
  // (counters); they are created empty on open, whatever
  // create_if_missing says.
  db_options.create_missing_column_families = true;
  // Memory stays flat however many links there are: all column families
  // share one write-buffer budget and one block cache, and links are read
  // by key (bloom filters spare most misses a disk read).
  db_options.db_write_buffer_size = kWriteBufferBudget;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions family_options;
  family_options.write_buffer_size = kWriteBufferBudget / 4;
  // A bloom filter over the memtable's keys (5% of its size): most reads
  // of an entity with no link or pending record skip the memtable search.
  family_options.memtable_prefix_bloom_size_ratio = 0.05;
  family_options.memtable_whole_key_filtering = true;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kFamilyNames) {
    descriptors.emplace_back(name, family_options);
  }
  auto impl = std::make_unique<Impl>();
  rocksdb::DB* db = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(
      db_options, dir, descriptors, &impl->families, &db);
  if (!status.ok()) {
    return FromRocks(status, absl::StrCat("opening state in ", dir));
  }
  impl->db.reset(db);
  impl->write_options.sync = options.sync_writes;

  // Failure ids continue after the largest one stored.
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), impl->family(kFailures)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    const std::string id = key.substr(key.rfind(kSep) + 1);
    uint64_t sequence = 0;
    if (absl::SimpleAtoi(id, &sequence)) {
      impl->last_failure_sequence =
          std::max<uint64_t>(impl->last_failure_sequence, sequence);
    }
  }
  return std::unique_ptr<StateStore>(new StateStore(std::move(impl)));
}

absl::Status StateStore::Write(Batch batch) {
  if (!batch.status_.ok()) return batch.status_;
  // In key order per column family: each memtable then inserts next to its
  // previous insert instead of searching from the top. Stable, so two
  // operations on one key keep their order.
  std::stable_sort(batch.ops_.begin(), batch.ops_.end(),
                   [](const Batch::Op& a, const Batch::Op& b) {
                     return a.family != b.family ? a.family < b.family : a.key < b.key;
                   });
  rocksdb::WriteBatch write;
  for (const auto& op : batch.ops_) {
    const rocksdb::Status status =
        op.put ? write.Put(impl_->family(op.family), op.key, op.value)
               : write.Delete(impl_->family(op.family), op.key);
    if (!status.ok()) return FromRocks(status, "building a state batch");
  }
  return FromRocks(impl_->db->Write(impl_->write_options, &write),
                   "writing state");
}

absl::StatusOr<std::optional<ferry::v1::IntegrationCounters>>
StateStore::GetCounters(absl::string_view integration) const {
  auto key = Key({integration, ""});
  if (!key.ok()) return key.status();
  std::string value;
  const rocksdb::Status status = impl_->db->Get(
      rocksdb::ReadOptions(), impl_->family(kCounters), *key, &value);
  return Parse<ferry::v1::IntegrationCounters>(status, value, "reading counters");
}

absl::StatusOr<std::optional<ferry::v1::SourcePosition>>
StateStore::GetCheckpoint(const PartitionKey& partition) const {
  auto key = Key({partition.integration, partition.system, partition.project});
  if (!key.ok()) return key.status();
  std::string value;
  const rocksdb::Status status = impl_->db->Get(
      rocksdb::ReadOptions(), impl_->family(kCheckpoints), *key, &value);
  return Parse<ferry::v1::SourcePosition>(status, value, "reading checkpoint");
}

absl::StatusOr<std::optional<ferry::v1::Link>> StateStore::FindLink(
    const EntityKey& entity) const {
  auto key = Key({entity.integration, entity.system, entity.id});
  if (!key.ok()) return key.status();
  std::string value;
  rocksdb::Status status = impl_->db->Get(
      rocksdb::ReadOptions(), impl_->family(kLinks), *key, &value);
  if (status.IsNotFound()) {
    // Maybe the entity is the target side of a link: follow the index.
    std::string source;
    status = impl_->db->Get(rocksdb::ReadOptions(),
                            impl_->family(kLinksByTarget), *key, &source);
    if (!status.ok()) {
      return Parse<ferry::v1::Link>(status, value, "reading link index");
    }
    status = impl_->db->Get(rocksdb::ReadOptions(), impl_->family(kLinks),
                            Prefix(entity.integration) + source, &value);
  }
  return Parse<ferry::v1::Link>(status, value, "reading link");
}

absl::StatusOr<std::vector<ferry::v1::Failure>> StateStore::FailuresOf(
    const EntityKey& entity) const {
  auto prefix = Key({entity.integration, entity.system, entity.id, ""});
  if (!prefix.ok()) return prefix.status();
  std::vector<std::string> ids;
  absl::Status scanned = impl_->Scan(
      kFailureIndex, *prefix, "",
      [&](const rocksdb::Slice& key, const rocksdb::Slice&) {
        ids.emplace_back(key.data() + prefix->size(),
                         key.size() - prefix->size());
        return true;
      });
  if (!scanned.ok()) return scanned;
  std::vector<ferry::v1::Failure> failures;
  for (const auto& id : ids) {
    auto failure = GetFailure(entity.integration, id);
    if (!failure.ok()) return failure.status();
    if (failure->has_value()) failures.push_back(**std::move(failure));
  }
  return failures;
}

absl::Status StateStore::ForEachFailure(
    absl::string_view integration, absl::string_view after,
    const std::function<bool(const ferry::v1::Failure&)>& visit) const {
  const std::string prefix = Prefix(integration);
  // Seek just past `after`: its key with a byte appended.
  const std::string start =
      after.empty() ? "" : absl::StrCat(prefix, after, std::string(1, '\0'));
  absl::Status parse_status;
  absl::Status scanned = impl_->Scan(
      kFailures, prefix, start,
      [&](const rocksdb::Slice&, const rocksdb::Slice& value) {
        ferry::v1::Failure failure;
        if (!failure.ParseFromArray(value.data(), value.size())) {
          parse_status = absl::DataLossError("a failure record is corrupt");
          return false;
        }
        return visit(failure);
      });
  return scanned.ok() ? parse_status : scanned;
}

absl::StatusOr<std::optional<ferry::v1::Failure>> StateStore::GetFailure(
    absl::string_view integration, absl::string_view failure_id) const {
  auto key = Key({integration, failure_id});
  if (!key.ok()) return key.status();
  std::string value;
  const rocksdb::Status status = impl_->db->Get(
      rocksdb::ReadOptions(), impl_->family(kFailures), *key, &value);
  return Parse<ferry::v1::Failure>(status, value, "reading failure");
}

std::string StateStore::NewFailureId() {
  return FailureId(++impl_->last_failure_sequence);
}

absl::Status StateStore::ForEachPending(
    absl::string_view integration,
    const std::function<bool(const EntityKey& entity, absl::string_view sub,
                             const ferry::v1::PendingWrite& pending)>& visit) const {
  absl::Status parse_status;
  absl::Status scanned = impl_->Scan(
      kPending, Prefix(integration), "",
      [&](const rocksdb::Slice& key, const rocksdb::Slice& value) {
        // integration \0 system \0 id \0 sub, or a group's key.
        std::vector<std::string> parts =
            absl::StrSplit(absl::string_view(key.data(), key.size()), kSep);
        if (parts.size() == 3 && parts[1].empty()) {
          ferry::v1::PendingGroup group;
          if (!group.ParseFromArray(value.data(), value.size())) {
            parse_status = absl::DataLossError("a pending-write group is corrupt");
            return false;
          }
          for (const auto& member : group.members()) {
            if (!visit(EntityKey{parts[0], member.system(), member.id()},
                       member.sub(), member.write())) {
              return false;
            }
          }
          return true;
        }
        ferry::v1::PendingWrite pending;
        if (parts.size() != 4 || !pending.ParseFromArray(value.data(), value.size())) {
          parse_status = absl::DataLossError("a pending-write record is corrupt");
          return false;
        }
        return visit(EntityKey{parts[0], parts[1], parts[2]}, parts[3], pending);
      });
  return scanned.ok() ? parse_status : scanned;
}

absl::Status StateStore::SplitPendingGroups(absl::string_view integration) {
  Batch split;
  absl::Status parse_status;
  // Groups sort first among the integration's pending records: no system.
  absl::Status scanned = impl_->Scan(
      kPending, Prefix(integration) + std::string(1, kSep), "",
      [&](const rocksdb::Slice& key, const rocksdb::Slice& value) {
        ferry::v1::PendingGroup group;
        if (!group.ParseFromArray(value.data(), value.size())) {
          parse_status = absl::DataLossError("a pending-write group is corrupt");
          return false;
        }
        for (const auto& member : group.members()) {
          split.PutPending(EntityKey{std::string(integration), member.system(), member.id()},
                           member.sub(), member.write());
        }
        split.Add(kPending, false, key.ToString(), "");
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!parse_status.ok()) return parse_status;
  if (split.size() == 0) return absl::OkStatus();
  return Write(std::move(split));
}

absl::Status StateStore::ForEachLink(
    absl::string_view integration,
    const std::function<bool(const ferry::v1::Link&)>& visit) const {
  absl::Status parse_status;
  absl::Status scanned = impl_->Scan(
      kLinks, Prefix(integration), "",
      [&](const rocksdb::Slice&, const rocksdb::Slice& value) {
        ferry::v1::Link link;
        if (!link.ParseFromArray(value.data(), value.size())) {
          parse_status = absl::DataLossError("a link record is corrupt");
          return false;
        }
        return visit(link);
      });
  return scanned.ok() ? parse_status : scanned;
}

absl::Status StateStore::DropIntegration(absl::string_view integration) {
  const std::string begin = Prefix(integration);
  // Every key of the integration sorts before "<integration>\1".
  const std::string end = absl::StrCat(integration, "\x01");
  rocksdb::WriteBatch write;
  for (int f = kCheckpoints; f < kFamilyCount; ++f) {
    const rocksdb::Status status =
        write.DeleteRange(impl_->family(f), begin, end);
    if (!status.ok()) return FromRocks(status, "dropping an integration");
  }
  return FromRocks(impl_->db->Write(impl_->write_options, &write),
                   "dropping an integration");
}

}  // namespace ferry::engine
