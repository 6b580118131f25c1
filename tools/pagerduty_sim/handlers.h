#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "tools/pagerduty_sim/router.h"

// Route registration for each part of the PagerDuty REST API v2 subset.
namespace ferry::pagerduty_sim {

// GET/POST/PUT /incidents, GET/PUT /incidents/{id}.
void RegisterIncidentRoutes(Router& router);
// /incidents/{id}/notes[/{note_id}], POST /incidents/{id}/status_updates.
void RegisterNoteRoutes(Router& router);
// /log_entries, /log_entries/{id}, /incidents/{id}/log_entries.
void RegisterLogEntryRoutes(Router& router);
// /priorities, /services, /teams, /teams/{id}/members, /users, /users/me,
// /abilities.
void RegisterDirectoryRoutes(Router& router);

// GET /incidents/{id}/alerts, PUT /incidents/{id}/merge,
// POST /services/{id}/integrations.
void RegisterAlertRoutes(Router& router);

// /webhook_subscriptions CRUD, POST /webhook_subscriptions/{id}/enable and
// /ping.
void RegisterWebhookRoutes(Router& router);

// The incident `id_or_number` if the caller may see it: 404 / 2100 when it
// does not exist, 403 / 2010 when the caller has no role on its service.
absl::StatusOr<Incident*> VisibleIncident(Call& call,
                                          const std::string& id_or_number);

}  // namespace ferry::pagerduty_sim
