#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "proto/entity.pb.h"

namespace ferry::seam {

// One entry of a ledger, as stored.
struct LedgerEntry {
  ferry::v1::Entity entity;  // comments are its remarks, oldest first
  std::string origin;        // Ferry's marker from the create, if any
  std::map<std::string, std::string> remark_origins;  // remark id → marker
};

// One write, in order: the ledger's change feed.
struct LedgerWrite {
  int64_t revision = 0;
  std::string entry_id;
  std::string by;  // the writer's user id
  bool created = false;
  std::vector<ferry::v1::FieldChange> changes;
};

// The throwaway system's storage: entries kept in memory, one store per
// name (a system's url is "ledger://<name>"), so a test and the connector
// it configures see the same entries. Every write gets the next revision.
// Thread-safe.
class LedgerStore {
 public:
  // The store called `name`, made on first use; lives for the process.
  static LedgerStore& Named(const std::string& name);

  // Adds an entry to `project`; returns it. `key_prefix` starts its key.
  ferry::v1::Entity Create(const std::string& project, const std::string& type,
                           const std::map<std::string, ferry::v1::FieldValue>& fields,
                           const ferry::v1::UserRef& by, const std::string& origin,
                           const std::string& key_prefix);
  // Sets fields of entry `id`; NOT_FOUND when there is none.
  absl::Status SetFields(const std::string& id,
                         const std::map<std::string, ferry::v1::FieldValue>& fields,
                         const ferry::v1::UserRef& by);
  // Adds a remark to entry `id`; returns its id.
  absl::StatusOr<std::string> AddRemark(const std::string& id, const std::string& body,
                                        const ferry::v1::UserRef& by, const std::string& origin);

  std::optional<LedgerEntry> Get(const std::string& id) const;
  // Every entry of `project`, in the order they were created.
  std::vector<LedgerEntry> Entries(const std::string& project) const;
  // Writes after `revision`, oldest first.
  std::vector<LedgerWrite> WritesAfter(int64_t revision) const;

 private:
  LedgerStore() = default;
  int64_t Record(LedgerWrite write) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, LedgerEntry> entries_ ABSL_GUARDED_BY(mu_);
  std::vector<LedgerWrite> writes_ ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace ferry::seam
