#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mapping/system_schema.h"
#include "proto/config.pb.h"
#include "proto/control.pb.h"
#include "proto/entity.pb.h"
#include "proto/stages.pb.h"

namespace ferry::engine {

// The interfaces every end system implements (Envoy-style extensions):
// a Connector per configured system makes ChangeReaders and EntityWriters.
// The engine knows no system by name; each connector registers a
// SystemDescriptor for its `kind` (registry.h). The contracts are written
// out in docs/connectors.md.
//
// Errors: connectors convert HTTP and API errors into absl::Status once, at
// their edge, keeping the end system's own words in the message and never a
// secret. Transient HTTP failures (408, 429, 5xx) are already retried with
// backoff by the HTTP client below the connector. What the engine does with
// an error that still comes back does not depend on its code:
//   - a reader's error is shown as its partition's last error and the read
//     is tried again after a second; nothing is skipped;
//   - a writer's error parks the change in the failure queue with the
//     message, retried with backoff up to the integration's retry policy,
//     then left for a person (`ferryctl failures`).
// So pick the code that says what happened (a person reads it) and put the
// fix in the message.

// One page of changes from a reader.
struct ChangePage {
  // Changes after the requested position, oldest first. Positions strictly
  // increase.
  std::vector<ferry::v1::ChangeEvent> changes;
  // True when more changes are waiting right now; the engine asks again at
  // once instead of waiting for the poll interval.
  bool more = false;
  // How far the reader looked, past changes it skipped (its own echoes,
  // criteria misses); unset when it is the last change's position. The
  // checkpoint may advance here once every change before it is acked, so
  // skipped changes are not read again.
  std::optional<ferry::v1::SourcePosition> scanned_to;
};

// Reads what changed in one project of one system. One reader serves one
// (integration, system, project) partition; the engine calls it from one
// thread at a time.
class ChangeReader {
 public:
  virtual ~ChangeReader() = default;

  // Changes made after `after` (exclusive; unset means the integration's
  // start time), at most `max_changes` of them. Must skip changes made by
  // the integration user itself (no echo) and apply criteria the API can
  // filter on. Must never skip a change because it shares a timestamp with
  // `after`: positions carry tie-breakers for that.
  virtual absl::StatusOr<ChangePage> ReadChanges(
      const std::optional<ferry::v1::SourcePosition>& after,
      int max_changes) = 0;
};

// A target entity, as the writer refers to it.
struct EntityRef {
  std::string id;
  std::string key;
  std::string url;
};

// What to create.
struct CreateRequest {
  std::string project;
  std::string type;
  std::vector<ferry::v1::FieldWrite> fields;
  // A marker the connector stores with the entity atomically on create
  // (an issue property, an incident key), so FindByOrigin finds it after a
  // crash.
  std::string origin;
  // The source entity, for a link back to it from the new entity (a Jira
  // remote link): a URL a person can open (Entity.url) and a short title
  // ("<system> <display key>"). Empty when the source has no URL; writers
  // then add no link.
  std::string source_url;
  std::string source_title;
};

// Writes to one system on behalf of one integration. Thread-compatible:
// the engine calls a writer from one thread at a time.
class EntityWriter {
 public:
  virtual ~EntityWriter() = default;

  // Entities of `project` that match a target lookup query in the system's
  // own syntax, placeholders already filled.
  virtual absl::StatusOr<std::vector<EntityRef>> Lookup(
      const std::string& project, const std::string& query) = 0;

  // The entity created with `origin`, if one was.
  virtual absl::StatusOr<std::optional<EntityRef>> FindByOrigin(
      const std::string& project, const std::string& origin) = 0;

  // The entity that Create(request) made before a crash interrupted it, if
  // it did. The engine asks this (not FindByOrigin) when a create is in
  // doubt, with the request it would send again. Writers whose marker
  // depends on the mapped fields (a PagerDuty incident key the mapping
  // sets) override it; the default asks FindByOrigin.
  virtual absl::StatusOr<std::optional<EntityRef>> FindCreated(
      const CreateRequest& request) {
    return FindByOrigin(request.project, request.origin);
  }

  // Creates an entity; returns it.
  virtual absl::StatusOr<EntityRef> Create(const CreateRequest& request) = 0;

  // Writes field values to an existing entity. ABORTED when the target
  // refused a write because the entity changed since Ferry last wrote it
  // (a person's change the engine has not read yet, as a Jira transition
  // that no longer leaves the status); what depended on the
  // entity's old state was not written, and the engine reads the entity
  // (Get) and decides again.
  virtual absl::Status Update(const EntityRef& entity,
                              const std::vector<ferry::v1::FieldWrite>& fields) = 0;

  // The entity as it is now (fields and who changed it when), for conflict
  // detection. Comments may be left out.
  virtual absl::StatusOr<ferry::v1::Entity> Get(const EntityRef& entity) = 0;

  // Posts a comment carrying `origin` (in a property or the text) so that
  // FindComment finds it after a crash; returns its id.
  virtual absl::StatusOr<std::string> AddComment(
      const EntityRef& entity, const ferry::v1::CommentWrite& comment,
      const std::string& origin) = 0;

  // The id of the comment posted with `origin`, if one was.
  virtual absl::StatusOr<std::optional<std::string>> FindComment(
      const EntityRef& entity, const std::string& origin) = 0;
};

// What a reader is for.
struct ReaderOptions {
  std::string integration;
  std::string project;
  // Criteria in the system's own syntax; the reader applies what its API
  // can filter on.
  std::string criteria;
  // Changes before this are ignored when there is no checkpoint.
  std::optional<ferry::v1::SourcePosition> start;
  // The entity fields the integration reads from this side's changes
  // (mapping::Mapper::FieldsRead); nullopt when not known. A reader may
  // leave out the fields not named here when reporting them would cost API
  // calls; with nullopt it must report every field it can.
  std::optional<std::set<std::string>> fields_read;
  // The fields it reads from a change of an entity that is `linked`
  // (mapping::Mapper::FieldsReadWhenLinked: nothing is created for it, so
  // fields mapped only on create are not). A reader may leave out what
  // this does not name for a linked entity, when reporting it would cost
  // API calls. Both or neither are set.
  std::optional<std::set<std::string>> fields_read_when_linked;
  // Whether this side's entity `id` is linked in the integration. An error
  // reading the link state answers false (the reader then reports every
  // field of fields_read). Thread-safe.
  std::function<bool(const std::string& id)> linked;
};

// One configured system. Thread-safe: the engine makes readers and writers
// from any thread.
class Connector {
 public:
  virtual ~Connector() = default;

  // Checks the URL, the credentials and what the integration user may do
  // in `projects`.
  virtual absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>& projects) = 0;

  virtual absl::StatusOr<std::unique_ptr<ChangeReader>> NewReader(
      const ReaderOptions& options) = 0;

  virtual absl::StatusOr<std::unique_ptr<EntityWriter>> NewWriter(
      const std::string& integration) = 0;

  // The fields this system has beyond its kind's schema, as mappings name
  // them: Jira's custom fields, say, each named by id ("customfield_10010")
  // with its display name as the note. Read from the live system, for
  // `ferryctl fields`; errors as the system's API reports them. The
  // default, for kinds whose schema lists every field: none.
  virtual absl::StatusOr<std::vector<mapping::FieldSpec>> SiteFields() {
    return std::vector<mapping::FieldSpec>{};
  }
};

}  // namespace ferry::engine
