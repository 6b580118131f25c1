#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/pagerduty/pd_api.h"
#include "engine/connector/connector.h"

namespace ferry::pagerduty {

// Writes PagerDuty incidents, notes and status updates for one integration
// (engine::EntityWriter). Fields are named as in mapping/system_schema.cc.
//
// Create: service = request.project; Title (required), Description (as
// body.details), Priority (by name, through /priorities fetched once per
// writer), Urgency, Incident Key, Conference Number/URL, Assignee (user id),
// Escalation Policy (id). When the mapping sets no Incident Key the incident
// gets IncidentKeyForOrigin(origin).
//
// Finding a create a crash interrupted: the incident key is the only marker
// PagerDuty stores atomically with an incident and can search on
// (GET /incidents?incident_key=...&date_range=all), so FindCreated looks for
// the key Create sends — the mapped Incident Key, or the origin's key — in
// the request's service and returns the newest match. With a mapped key
// that is also what PagerDuty de-duplicates open incidents on, so an
// incident someone else opened with that key is linked, not duplicated.
// FindByOrigin knows only the origin and so finds incidents created without
// a mapped key.
//
// Update: Title, Status, Priority, Urgency, Conference Number/URL, Assignee,
// Escalation Policy. Fields whose sync_when is CREATE are left out. PagerDuty's
// hard limits become precise outcomes:
//   - Description or Incident Key on an existing incident: INVALID_ARGUMENT
//     (PagerDuty accepts them on create only; set sync_when CREATE);
//   - acknowledged -> triggered: FAILED_PRECONDITION saying PagerDuty refuses
//     it, or, with `reescalate_acknowledged`, a re-escalation to level 1
//     (which PagerDuty allows and which triggers the incident again); a
//     status equal to the current one is not sent;
//   - clearing a conference bridge: logged, nothing sent (PagerDuty cannot
//     clear one).
// A 403 on any write becomes PERMISSION_DENIED naming the incident's service
// and the Responder role the integration user lacks there.
//
// Comments: kind "note" (default) posts a note, "status_update" a status
// update; the origin is a short marker at the end of the text
// (pd_comment_marker.h says why a note needs one), and
// FindComment looks for it in the incident's notes and status update log
// entries (PagerDuty lists status updates only as log entries, so for a
// status update it returns the status_update_log_entry id, not the id
// AddComment returned).
//
// Lookup queries: "incident_key=<value>" (newest first) or "ID=<id or
// number>", values URL-escaped; matches outside `project` are left out.
//
// Thread-compatible, like every EntityWriter.
class PdWriter : public engine::EntityWriter {
 public:
  // `reescalate_acknowledged`: see Update.
  PdWriter(std::shared_ptr<const PdApi> api, bool reescalate_acknowledged);

  absl::StatusOr<std::vector<engine::EntityRef>> Lookup(
      const std::string& project, const std::string& query) override;
  absl::StatusOr<std::optional<engine::EntityRef>> FindByOrigin(
      const std::string& project, const std::string& origin) override;
  absl::StatusOr<std::optional<engine::EntityRef>> FindCreated(
      const engine::CreateRequest& request) override;
  absl::StatusOr<engine::EntityRef> Create(
      const engine::CreateRequest& request) override;
  absl::Status Update(const engine::EntityRef& entity,
                      const std::vector<ferry::v1::FieldWrite>& fields) override;
  absl::StatusOr<ferry::v1::Entity> Get(const engine::EntityRef& entity) override;
  absl::StatusOr<std::string> AddComment(const engine::EntityRef& entity,
                                         const ferry::v1::CommentWrite& comment,
                                         const std::string& origin) override;
  absl::StatusOr<std::optional<std::string>> FindComment(
      const engine::EntityRef& entity, const std::string& origin) override;

 private:
  // Sets `incident`'s JSON member for one field write shared by create and
  // update (everything but Description, Incident Key and Status).
  absl::Status SetCommonField(const ferry::v1::FieldWrite& write,
                              nlohmann::json& incident);
  absl::StatusOr<std::string> PriorityId(const std::string& name);
  absl::StatusOr<nlohmann::json> FetchIncident(const std::string& id) const;
  absl::StatusOr<std::vector<engine::EntityRef>> ByIncidentKey(
      const std::string& project, const std::string& key) const;
  // `status` (from a write to `incident_id`) with a 403 spelled out.
  absl::Status ExplainWriteError(const absl::Status& status,
                                 const std::string& incident_id,
                                 const std::string& service_id) const;

  std::shared_ptr<const PdApi> api_;
  const bool reescalate_acknowledged_;
  // Priority name -> id, fetched on first use.
  std::optional<std::map<std::string, std::string>> priorities_;
};

}  // namespace ferry::pagerduty
