#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/connector/connector.h"
#include "engine/pipeline/integration_plan.h"
#include "engine/writer/write_journal.h"
#include "proto/stages.pb.h"

namespace ferry::engine {

// The writer's steps for one mapped change, against the end systems:
//   1. the criteria decide with the link table (once in sync, always in
//      sync, unless stop_when_unmatched);
//   2. the target entity is found: the link table, then a create a crash
//      left pending (found by its origin marker), then the target lookup
//      query; else it is created, with a pending record made durable before
//      the call (unless the batch's group holds it) so a crash cannot
//      create it twice;
//   3. field writes apply by sync_when; an update writes only fields whose
//      value differs from what was last synced (echo suppression); under
//      TARGET_WINS and RAISE_FAILURE it reads the target first to find
//      fields both sides changed (unless every field is an echo); under
//      NEWEST_WINS the link answers (docs/writer.md, "Conflicts"), and
//      when the target refuses an update (ABORTED: it changed since Ferry
//      last wrote it) the target is read and the fields decided again,
//      once;
//   4. comments not yet posted are posted, each with a pending record and
//      an origin marker, so none is posted twice;
//   5. the target's id and URL are written back into the source when the
//      mapping's remote_entity asks (once: they are kept in the link);
//   6. the link, the synced values and the comment pairs are saved through
//      the journal, also when an end system's error stopped the steps half
//      way (what was written stays known).
// Every record around the calls goes through the WriteJournal.
//
// Thread-compatible. Writers and the journal must outlive the steps.
class WriteSteps {
 public:
  // What a change came to.
  struct Result {
    // The end system's error that stopped the steps, if one came.
    absl::Status error;
    // Why the whole change was skipped, when it was.
    enum class Skip { kNone, kCriteria, kLookup, kBeforeStart };
    Skip skip = Skip::kNone;
    std::string skip_reason;
    // Something was written to an end system.
    bool wrote = false;
    // Why fields were not written (echoes, sync_when, equal values).
    std::vector<std::string> unwritten;
    // The fields of `unwritten` the target refused to clear (a field its
    // system cannot unset), with the system's reason: shown with the
    // outcome even when other fields were written.
    std::vector<std::string> refused;
    // The target entity, once found or created.
    EntityRef target;
  };

  // `writers` by system name: both systems of the integration (the source
  // one for the reverse flow and remote-entity write-back).
  WriteSteps(std::shared_ptr<const IntegrationPlan> plan, WriteJournal* journal,
             absl::flat_hash_map<std::string, EntityWriter*> writers,
             std::function<absl::Time()> clock);

  // Runs the steps for `intent` (mapped without error). End-system errors
  // land in Result.error; a non-OK status is the state store's error, with
  // the change's link not saved.
  absl::StatusOr<Result> Write(const ferry::v1::WriteIntent& intent);

  // Whether the steps would create the target of `intent`'s unlinked
  // entity without asking the end system first (no target lookup, the
  // criteria let it through), so a batch can record the create ahead.
  bool CreatesWithoutLookup(const ferry::v1::WriteIntent& intent) const;

 private:
  struct Attempt;

  absl::Status Run(const ferry::v1::WriteIntent& intent, Attempt* attempt);
  absl::Status FindOrCreateTarget(const ferry::v1::WriteIntent& intent,
                                  Attempt* attempt);
  absl::Status UpdateFields(const ferry::v1::WriteIntent& intent,
                            Attempt* attempt);
  // Whether the update of `intent` must read the target first: under
  // TARGET_WINS and RAISE_FAILURE when a field is not an echo of what the
  // link says was synced; never under SOURCE_WINS and NEWEST_WINS.
  bool NeedsTarget(const ferry::v1::WriteIntent& intent, const Attempt& attempt) const;
  // Reads the target into `current`; on an end system's error sets
  // Result.error and returns it.
  absl::Status ReadTarget(Attempt* attempt, std::optional<ferry::v1::Entity>* current);
  // Decides each field write of `intent` against the link and `current`
  // (nullopt: not read), appending the writes to `writes` and the reasons
  // for the others to the result; false (with Result.error set) when a
  // conflict is raised.
  bool DecideWrites(const ferry::v1::WriteIntent& intent,
                    const std::optional<ferry::v1::Entity>& current, Attempt* attempt,
                    std::vector<ferry::v1::FieldWrite>* writes);
  // Posts the `comments` of `from_system` not yet posted to `target`
  // through `writer`.
  absl::Status PostComments(
      const google::protobuf::RepeatedPtrField<ferry::v1::CommentWrite>& comments,
      const std::string& from_system, EntityWriter* writer,
      const EntityRef& target, Attempt* attempt);
  // Writes the target's id and URL back into the source entity, as the
  // mapping's remote_entity asks, once.
  absl::Status WriteBack(const ferry::v1::WriteIntent& intent,
                         Attempt* attempt);

  const std::shared_ptr<const IntegrationPlan> plan_;
  WriteJournal* const journal_;
  const absl::flat_hash_map<std::string, EntityWriter*> writers_;
  const std::function<absl::Time()> clock_;
};

}  // namespace ferry::engine
