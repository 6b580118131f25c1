#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/servicenow/sn_table_client.h"
#include "engine/connector/connector.h"
#include "nlohmann/json.hpp"

namespace ferry::servicenow {

// The correlation_id an incident created for `origin` holds: the origin
// itself ("ferry:<integration>:<system>:<id>", so a person or a target
// lookup sees the PagerDuty incident's id in it), or, when longer than the
// column's 100 characters, "ferry:" and 40 hex digits of its SHA-256.
std::string CorrelationIdFor(const std::string& origin);

// Writes ServiceNow incidents and journal entries for one integration
// (engine::EntityWriter). Fields are named as in sn_schema.h; coded
// choices go as their codes (sn_incident.h, ColumnValue).
//
// Create: one POST /incident with the mapped fields (sync_when UPDATE
// left out), correlation_id = CorrelationIdFor(origin) and
// correlation_display from the options ("PagerDuty"), so FindByOrigin
// finds it after a crash (GET incident?sysparm_query=correlation_id=...);
// a project that is an assignment group sets assignment_group unless the
// mapping writes it.
//
// Update: one PATCH with the written fields (sync_when CREATE left out);
// no read first. A clear writes "".
//
// State moves fill what the target state needs when the mapping writes
// none of it (in the same POST or PATCH): Resolved and Closed get
// close_code and close_notes, On Hold gets hold_reason, from the options
// (defaults "Solved (Permanently)", "Resolved in PagerDuty by Ferry",
// "Awaiting Vendor"). A mapped value wins.
//
// Priority is ServiceNow's to compute from impact and urgency; a mapping
// writes those two (validation refuses priority, see sn_schema.h). A
// PagerDuty priority becomes both through two field mappings of the same
// source field, each with its value map (P1 → impact "1 - High" and
// urgency "1 - High", …); the README shows one.
//
// Comments: kind "comments" or "work_notes" is the journal field written;
// any other kind goes to the options' comment_element. One PATCH with the
// text and, after an empty line, the short origin marker
// "(ferry <12 hex digits>)" (journal entries have no properties), and
// nothing else: the id returned is computed from that marker
// (MarkerCommentId, "ferry-<12 hex digits>"), which is the id the reader
// reports an entry carrying it by, so no read learns a sys_id. FindComment
// pages through the incident's journal for the marker (after a crash
// between the PATCH and the engine's record) and returns the same id; an
// entry an older version wrote with the long footer line is found by its
// sys_id, which is what that version recorded.
//
// Lookup: GET incident with the query (placeholders already filled and
// escaped by the dialect) AND-ed with the project's query; at most 100
// matches, oldest first.
//
// Errors as TableClient's (403 naming itil or audit_viewer, ...); a value
// outside a coded field's labels is INVALID_ARGUMENT naming the field.
// Thread-compatible, like every EntityWriter.
class SnWriter : public engine::EntityWriter {
 public:
  // `system` is SystemConfig.name, for the Entity Get returns.
  SnWriter(std::shared_ptr<TableClient> client, std::string system);

  absl::StatusOr<std::vector<engine::EntityRef>> Lookup(const std::string& project,
                                                        const std::string& query) override;
  absl::StatusOr<std::optional<engine::EntityRef>> FindByOrigin(const std::string& project,
                                                                const std::string& origin) override;
  absl::StatusOr<engine::EntityRef> Create(const engine::CreateRequest& request) override;
  absl::Status Update(const engine::EntityRef& entity,
                      const std::vector<ferry::v1::FieldWrite>& fields) override;
  absl::StatusOr<ferry::v1::Entity> Get(const engine::EntityRef& entity) override;
  absl::StatusOr<std::string> AddComment(const engine::EntityRef& entity,
                                         const ferry::v1::CommentWrite& comment,
                                         const std::string& origin) override;
  absl::StatusOr<std::optional<std::string>> FindComment(const engine::EntityRef& entity,
                                                         const std::string& origin) override;

 private:
  // `values` (column → string) with the mapped `fields` that apply (all
  // but `skip`), and the state move's required fields.
  absl::Status AddFields(const std::vector<ferry::v1::FieldWrite>& fields, ferry::v1::SyncWhen skip,
                         nlohmann::json& values) const;
  // Incidents matching `query` (already AND-ed with the project).
  absl::StatusOr<std::vector<engine::EntityRef>> Find(const std::string& query, int max);
  engine::EntityRef RefOf(const nlohmann::json& row) const;

  std::shared_ptr<TableClient> client_;
  const std::string system_;
};

}  // namespace ferry::servicenow
