#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connectors/servicenow/testing/simulated_servicenow.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/e2e_world.h"

namespace ferry::e2e {

// PagerDuty and the ServiceNow simulator with its incident rules (numbers,
// the default state model, priority from impact × urgency, journal and
// audit rows), in this process on an OS-chosen port. Ferry signs in as
// "ferry" (itil + audit_viewer, Basic); a person, Ida ("itil_only", itil),
// acts through /admin/servicenow/as/itil_only, which is never faulted or
// rate limited. The ServiceNow side of the config is the system
// "servicenow" on the whole incident table (projects: [incident]).
class SnWorld : public FerryWorld {
 public:
  // The person who works incidents in ServiceNow.
  static constexpr char kPerson[] = "itil_only";

  explicit SnWorld(const std::string& name, std::string pd_token = "responder-token");
  ~SnWorld() override;  // Kills ferryd first, then stops the simulators.

  // Writes the config: the systems "pagerduty" and "servicenow" and the
  // server section, followed by `body` (its `mappings:` and
  // `integrations:`). `options` is the servicenow system's options block
  // without braces ("close_code: Workaround", say).
  void WriteConfig(const std::string& body, const std::string& options = "");

  // Writes `example` (the text of a config under examples/ with the
  // systems "pagerduty" and "servicenow") as the config, pointed at the
  // simulators: their URLs, the tokens from the world's environment
  // variables, Rita as PagerDuty's From, PagerDuty service
  // `example_service` as PSVCWEB, a 0.2 s poll, state in dir() and
  // OS-chosen ports. Each change must apply once or more; one that does
  // not fails the test, naming it.
  void WriteExample(const std::string& example, const std::string& example_service);

  // An incident as the test reads it (every column from the simulator's
  // admin API; coded fields as their codes, "6" for Resolved).
  struct SnIncident {
    std::string sys_id;
    std::string number;
    std::string short_description;
    std::string description;
    std::string state;
    std::string impact;
    std::string urgency;
    std::string priority;
    std::string close_code;
    std::string close_notes;
    std::string hold_reason;
    std::string correlation_id;
    std::vector<std::string> comments;    // journal "comments", oldest first
    std::vector<std::string> work_notes;  // journal "work_notes", oldest first
  };
  // Every incident, oldest first.
  std::vector<SnIncident> SnIncidents();
  // The incidents Ferry made for (or linked to) a PagerDuty incident: the
  // ones whose correlation_id ends in `pd_incident`.
  std::vector<SnIncident> IncidentsFor(const std::string& pd_incident);
  // Waits until exactly one incident is for `pd_incident` and it satisfies
  // `condition`; true when that happened.
  bool CopyBecomes(const std::string& pd_incident,
                   const std::function<bool(const SnIncident&)>& condition);

  // Ida opens an incident with `short_description` and `fields`; returns
  // its sys_id.
  std::string OpenIncident(const std::string& short_description,
                           const nlohmann::json& fields = nlohmann::json::object());
  // Ida's PATCH of an incident: fields, a state move, or a journal entry
  // ({"comments": "..."} or {"work_notes": "..."}).
  void EditIncident(const std::string& sys_id, const nlohmann::json& fields);

  // The simulator itself: its clock, rate-limit rules and faults.
  servicenow_sim::ServiceNowSimulator& simulator() { return sn_->sim().simulator(); }

 private:
  std::unique_ptr<servicenow::SimulatedServiceNow> sn_;
};

}  // namespace ferry::e2e
