#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/fake/fake.pb.h"
#include "proto/entity.pb.h"

namespace ferry::fake {

// A minimal end system kept in a local directory: entities with typed
// fields, comments, a per-field history and a system-wide revision counter,
// like the systems Ferry really syncs, minus the network.
//
// The directory is the system: several processes may open it at once (the
// crash test's driver acts as a person while ferryd syncs, and survives
// ferryd being killed), and every operation takes an exclusive flock on
// it. Each entity is one file, replaced atomically, so a killed writer
// leaves the old or the new version, never half of one.
//
// Thread-safe (operations serialise on the lock). Errors are UNAVAILABLE
// for I/O problems, NOT_FOUND for an unknown entity.
class FakeSystem {
 public:
  // Opens the system in `dir`, creating it when missing.
  static absl::StatusOr<FakeSystem> Open(const std::string& dir);

  // Creates an entity in `project` with `fields`, made by `by`, carrying
  // `origin` (empty for none).
  absl::StatusOr<ferry::v1::Entity> Create(
      const std::string& project, const std::string& type,
      const std::map<std::string, ferry::v1::FieldValue>& fields,
      const ferry::v1::UserRef& by, const std::string& origin = "");

  // Sets fields of entity `id`; fields equal to their current value are
  // not changed and make no history.
  absl::StatusOr<ferry::v1::Entity> SetFields(
      const std::string& id,
      const std::map<std::string, ferry::v1::FieldValue>& fields,
      const ferry::v1::UserRef& by);

  // Adds a comment to entity `id`; returns the comment's id.
  absl::StatusOr<std::string> AddComment(const std::string& id,
                                         const std::string& body,
                                         const ferry::v1::UserRef& by,
                                         const std::string& origin = "");

  // One entity with its history.
  absl::StatusOr<FakeEntity> Get(const std::string& id) const;

  // Entities of `project` changed after `revision`, by revision; all of
  // them for revision 0.
  absl::StatusOr<std::vector<FakeEntity>> ChangedAfter(
      const std::string& project, int64_t revision) const;

  const std::string& dir() const { return dir_; }

 private:
  explicit FakeSystem(std::string dir) : dir_(std::move(dir)) {}

  std::string dir_;
};

}  // namespace ferry::fake
